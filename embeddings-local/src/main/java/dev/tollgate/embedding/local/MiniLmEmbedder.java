package dev.tollgate.embedding.local;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.embedding.Vectors;
import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized, 384 dimensions) running in this JVM through ONNX Runtime: the dev
 * server's and the tests' embedding model, offline. The model loads once, on first use.
 */
public final class MiniLmEmbedder implements TextEmbedder {

  public static final String MODEL_ID = "all-minilm-l6-v2-q";
  public static final int DIMENSIONS = 384;

  private volatile AllMiniLmL6V2QuantizedEmbeddingModel model;

  @Override
  public String modelId() {
    return MODEL_ID;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    List<Embedding> embeddings = model().embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding embedding : embeddings) {
      vectors.add(Vectors.normalized(embedding.vector()));
    }
    return vectors;
  }

  private AllMiniLmL6V2QuantizedEmbeddingModel model() {
    AllMiniLmL6V2QuantizedEmbeddingModel loaded = model;
    if (loaded == null) {
      synchronized (this) {
        if (model == null) {
          // the tokenizer's library (DJL) would otherwise try to download native code and metadata
          if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
          }
          model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        }
        loaded = model;
      }
    }
    return loaded;
  }
}
