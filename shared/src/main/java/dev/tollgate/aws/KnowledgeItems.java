package dev.tollgate.aws;

import dev.tollgate.rag.EmbeddedChunk;
import dev.tollgate.rag.KnowledgeBase;
import dev.tollgate.rag.KnowledgeDocument;
import dev.tollgate.rag.KnowledgeSnapshot;
import dev.tollgate.rag.QuantizedVectors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.logging.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Knowledge table items to and from values (layout in {@link DynamoDbKnowledgeStore}). */
final class KnowledgeItems {

  private static final Logger LOG = Logger.getLogger(KnowledgeItems.class.getName());

  KnowledgeBase base(Map<String, AttributeValue> item) {
    return new KnowledgeBase(
        item.get(DynamoDbKnowledgeStore.KB).s(),
        number(item, "version"),
        text(item, "modelId", ""),
        (int) number(item, "dimensions"),
        item.containsKey("updatedAt") ? Instant.parse(item.get("updatedAt").s()) : Instant.EPOCH,
        text(item, "retriever", KnowledgeBase.INDEX_RETRIEVER),
        Optional.ofNullable(item.get("bedrockKnowledgeBaseId")).map(AttributeValue::s),
        lexicalWeight(item));
  }

  /** A hand-edited weight that is not a number from 0 to 1 is reported and ignored, never fatal to the base. */
  private static OptionalDouble lexicalWeight(Map<String, AttributeValue> item) {
    AttributeValue value = item.get("lexicalWeight");
    if (value == null) {
      return OptionalDouble.empty();
    }
    try {
      double weight = Double.parseDouble(value.n() != null ? value.n() : value.s());
      if (weight >= 0 && weight <= 1) {
        return OptionalDouble.of(weight);
      }
    } catch (RuntimeException notANumber) {
      // reported below
    }
    LOG.warning("knowledge base '" + item.get(DynamoDbKnowledgeStore.KB).s() + "': lexicalWeight = " + value
        + " is not a number from 0 to 1; the default weight is used");
    return OptionalDouble.empty();
  }

  KnowledgeDocument document(Map<String, AttributeValue> item) {
    return new KnowledgeDocument(
        item.get(DynamoDbKnowledgeStore.SK).s().substring(DynamoDbKnowledgeStore.DOC_PREFIX.length()),
        text(item, "contentHash", ""),
        text(item, "title", ""),
        (int) number(item, "chunkCount"),
        number(item, "generation"),
        item.containsKey("ingestedAt") ? Instant.parse(item.get("ingestedAt").s()) : Instant.EPOCH);
  }

  Map<String, AttributeValue> document(String kb, KnowledgeDocument document) {
    Map<String, AttributeValue> item = new HashMap<>(DynamoDbKnowledgeStore.key(kb, DynamoDbKnowledgeStore.DOC_PREFIX + document.documentId()));
    item.put("contentHash", AttributeValue.fromS(document.contentHash()));
    item.put("title", AttributeValue.fromS(document.title()));
    item.put("chunkCount", AttributeValue.fromN(Integer.toString(document.chunkCount())));
    item.put("generation", AttributeValue.fromN(Long.toString(document.generation())));
    item.put("ingestedAt", AttributeValue.fromS(document.ingestedAt().toString()));
    return item;
  }

  Map<String, AttributeValue> chunk(String kb, String sk, long generation, EmbeddedChunk chunk) {
    Map<String, AttributeValue> item = new HashMap<>(DynamoDbKnowledgeStore.key(kb, sk));
    item.put("docId", AttributeValue.fromS(chunk.documentId()));
    item.put("generation", AttributeValue.fromN(Long.toString(generation)));
    item.put("position", AttributeValue.fromN(Integer.toString(chunk.position())));
    item.put("title", AttributeValue.fromS(chunk.title()));
    item.put("text", AttributeValue.fromS(chunk.text()));
    Map<String, AttributeValue> metadata = new HashMap<>();
    chunk.metadata().forEach((name, value) -> metadata.put(name, AttributeValue.fromS(value)));
    item.put("metadata", AttributeValue.fromM(metadata));
    item.put("vector", AttributeValue.fromB(SdkBytes.fromByteArray(QuantizedVectors.encode(chunk.vector()))));
    return item;
  }

  EmbeddedChunk chunk(Map<String, AttributeValue> item) {
    Map<String, String> metadata = new HashMap<>();
    item.getOrDefault("metadata", AttributeValue.fromM(Map.of())).m().forEach((name, value) -> {
      if (value.s() != null) {
        metadata.put(name, value.s());
      }
    });
    return new EmbeddedChunk(
        item.get("docId").s(),
        (int) number(item, "position"),
        text(item, "title", ""),
        text(item, "text", ""),
        metadata,
        QuantizedVectors.decode(item.get("vector").b().asByteArray()));
  }

  boolean belongsTo(Map<String, AttributeValue> chunkItem, String documentId) {
    return chunkItem.containsKey("docId") && chunkItem.get("docId").s().equals(documentId);
  }

  boolean isCurrent(Map<String, AttributeValue> chunkItem, KnowledgeDocument document) {
    return number(chunkItem, "generation") == document.generation() && number(chunkItem, "position") < document.chunkCount();
  }

  /** The partition's items (base, chunks, documents) as a snapshot of current chunks; empty without a base item. */
  Optional<KnowledgeSnapshot> snapshot(List<Map<String, AttributeValue>> partition) {
    KnowledgeBase base = null;
    Map<String, KnowledgeDocument> documents = new HashMap<>();
    List<Map<String, AttributeValue>> chunkItems = new ArrayList<>();
    for (Map<String, AttributeValue> item : partition) {
      String sk = item.get(DynamoDbKnowledgeStore.SK).s();
      if (sk.equals(DynamoDbKnowledgeStore.BASE_SK)) {
        base = base(item);
      } else if (sk.startsWith(DynamoDbKnowledgeStore.DOC_PREFIX)) {
        KnowledgeDocument document = document(item);
        documents.put(document.documentId(), document);
      } else if (sk.startsWith(DynamoDbKnowledgeStore.CHUNK_PREFIX)) {
        chunkItems.add(item);
      }
    }
    if (base == null) {
      return Optional.empty();
    }
    List<EmbeddedChunk> chunks = new ArrayList<>();
    Map<String, Integer> counted = new HashMap<>();
    for (Map<String, AttributeValue> item : chunkItems) {
      KnowledgeDocument document = item.containsKey("docId") ? documents.get(item.get("docId").s()) : null;
      if (document != null && isCurrent(item, document)) {
        chunks.add(chunk(item));
        counted.merge(document.documentId(), 1, Integer::sum);
      }
    }
    for (KnowledgeDocument document : documents.values()) {
      if (counted.getOrDefault(document.documentId(), 0) != document.chunkCount()) {
        // read while an ingest switched this document: its chunk pages came before the switch
        throw new IncompleteSnapshotException(document.documentId());
      }
    }
    List<KnowledgeDocument> sorted = documents.values().stream().sorted(java.util.Comparator.comparing(KnowledgeDocument::documentId)).toList();
    return Optional.of(new KnowledgeSnapshot(base, sorted, chunks));
  }

  /** A read that caught a document between its chunks and its switch; read again. */
  static final class IncompleteSnapshotException extends RuntimeException {
    IncompleteSnapshotException(String documentId) {
      super("document '" + documentId + "' changed while the base was read");
    }
  }

  private static long number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
  }

  private static String text(Map<String, AttributeValue> item, String name, String fallback) {
    AttributeValue value = item.get(name);
    return value == null || value.s() == null ? fallback : value.s();
  }
}
