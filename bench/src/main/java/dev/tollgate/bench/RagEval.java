package dev.tollgate.bench;

import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.embedding.local.MiniLmEmbedder;
import dev.tollgate.rag.Chunker;
import dev.tollgate.rag.ChunkerOptions;
import dev.tollgate.rag.InMemoryKnowledgeStore;
import dev.tollgate.rag.IngestResult;
import dev.tollgate.rag.KnowledgeIndex;
import dev.tollgate.rag.KnowledgeIngestion;
import dev.tollgate.rag.KnowledgeRetriever;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.SourceDocument;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Retrieval quality on the shipped eval set (bench/rag-eval): ingests the corpus through the real
 * readers, chunker and {@link KnowledgeIngestion} into an in-memory knowledge store with the
 * in-process MiniLM model, asks every question through {@link KnowledgeRetriever} for the top 5
 * chunks, and prints recall@1, recall@5 and MRR for pure cosine and for each BM25 blend weight,
 * then the questions each one missed. Options: {@code --set DIR}, {@code --weights 0,0.3} (BM25
 * shares to compare; 0 is pure cosine), {@code --chunk-chars N[,M...]} (chunk sizes to compare).
 */
public final class RagEval {

  private static final String KB = "eval";
  private static final int TOP_K = 5;

  private RagEval() {}

  public static void main(String[] argv) {
    Args args = Args.parse(argv);
    EvalSet set = EvalSet.load(Path.of(args.text("set", "bench/rag-eval")));
    double[] weights = numbers(args.text("weights", "0," + KnowledgeIndex.DEFAULT_LEXICAL_WEIGHT));
    double[] sizes = numbers(args.text("chunk-chars", String.valueOf(ChunkerOptions.DEFAULT_TARGET_CHARS)));
    TextEmbedder embedder = new MiniLmEmbedder();
    List<SourceDocument> documents = EvalDocuments.read(set);

    System.out.println("### Retrieval quality: recall on bench/rag-eval (" + set.questions().size() + " questions, "
        + documents.size() + " documents, model " + embedder.modelId() + ", top " + TOP_K + " chunks)");
    System.out.println();
    System.out.println("| Chunks (target chars, overlap) | Scoring | recall@1 | recall@5 | MRR@5 | found in top 5 |");
    System.out.println("|---|---|---|---|---|---|");
    List<String> misses = new ArrayList<>();
    for (double size : sizes) {
      ChunkerOptions options = new ChunkerOptions((int) size, ChunkerOptions.DEFAULT_OVERLAP);
      InMemoryKnowledgeStore store = new InMemoryKnowledgeStore();
      long started = System.nanoTime();
      List<IngestResult> results =
          new KnowledgeIngestion(store, embedder, new Chunker(options), Clock.systemUTC()).ingest(KB, documents);
      double ingestSeconds = (System.nanoTime() - started) / 1e9;
      int chunks = results.stream().mapToInt(IngestResult::chunks).sum();
      KnowledgeRetriever retriever = new KnowledgeRetriever(store, embedder);
      for (double weight : weights) {
        RankScores scores = new RankScores();
        for (EvalSet.Question question : set.questions()) {
          List<RetrievedChunk> found = retriever.retrieve(new RetrievalQuery(KB, question.text(), TOP_K, -1, Map.of()), weight);
          List<String> ids = found.stream().map(RetrievedChunk::documentId).toList();
          int rank = RankScores.firstHit(ids, question.answers());
          scores.add(rank);
          if (rank != 1) {
            misses.add(String.format(Locale.ROOT, "| %d | %s | %s %s | %s | %s | %s |", (int) size, scoring(weight), question.id(),
                question.text(), String.join(", ", question.answers()), rank == 0 ? "none" : String.valueOf(rank),
                String.join(", ", ids)));
          }
        }
        System.out.printf(Locale.ROOT, "| %d, %.0f %% (%d chunks, ingested in %.1f s) | %s | %.3f | **%.3f** | %.3f | %d / %d |%n",
            (int) size, options.overlap() * 100, chunks, ingestSeconds, scoring(weight), scores.recallAt1(), scores.recallAt5(),
            scores.mrr(), scores.found(), scores.questions());
      }
    }
    System.out.println();
    System.out.println("Questions whose first chunk is not from an answering document (a miss at 1; rank \"none\": "
        + "a miss at " + TOP_K + "):");
    System.out.println();
    System.out.println("| Chunks | Scoring | Question | Answered by | Rank | Top " + TOP_K + " chunks' documents, best first |");
    System.out.println("|---|---|---|---|---|---|");
    misses.forEach(System.out::println);
    System.out.println();
  }

  private static String scoring(double weight) {
    return weight == 0 ? "cosine" : String.format(Locale.ROOT, "cosine + BM25, w = %.2f", weight);
  }

  private static double[] numbers(String list) {
    return Arrays.stream(list.split(",")).map(String::strip).mapToDouble(Double::parseDouble).toArray();
  }
}
