package dev.tollgate.aws;

import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.Retriever;
import dev.tollgate.rag.UnknownKnowledgeBaseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockagentruntime.BedrockAgentRuntimeClient;
import software.amazon.awssdk.services.bedrockagentruntime.model.FilterAttribute;
import software.amazon.awssdk.services.bedrockagentruntime.model.KnowledgeBaseRetrievalResult;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrievalFilter;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrievalResultLocation;
import software.amazon.awssdk.services.bedrockagentruntime.model.RetrieveRequest;

/**
 * Retrieval from a Bedrock knowledge base the user already has ({@code Retrieve} on Bedrock
 * Agent Runtime), for knowledge bases whose base item says {@code retriever: bedrock}: our name
 * maps to the Bedrock knowledge base id, {@code topK} to {@code numberOfResults}, the metadata
 * filter to {@code equals} conditions (joined with {@code andAll}), and {@code minScore} is
 * applied to Bedrock's scores. Bedrock does not say where in its document a chunk sits, so
 * {@code position} is 0.
 */
public final class BedrockKnowledgeBaseRetriever implements Retriever {

  /** Metadata keys Bedrock sets on every result. */
  static final String CHUNK_ID = "x-amz-bedrock-kb-chunk-id";
  static final String SOURCE_URI = "x-amz-bedrock-kb-source-uri";

  private final Supplier<BedrockAgentRuntimeClient> client;
  private final Function<String, Optional<String>> knowledgeBaseIds;

  /**
   * @param client made on first use, once
   * @param knowledgeBaseIds our knowledge base name to its Bedrock knowledge base id (empty: no such base)
   */
  public BedrockKnowledgeBaseRetriever(Supplier<BedrockAgentRuntimeClient> client, Function<String, Optional<String>> knowledgeBaseIds) {
    this.client = Lazy.of(client);
    this.knowledgeBaseIds = knowledgeBaseIds;
  }

  @Override
  public List<RetrievedChunk> retrieve(RetrievalQuery query) {
    String id = knowledgeBaseIds.apply(query.kb()).orElseThrow(() -> new UnknownKnowledgeBaseException(query.kb()));
    RetrieveRequest request =
        RetrieveRequest.builder()
            .knowledgeBaseId(id)
            .retrievalQuery(q -> q.text(query.query()))
            .retrievalConfiguration(c -> c.vectorSearchConfiguration(v -> v.numberOfResults(query.topK()).filter(filter(query.filter()))))
            .build();
    List<KnowledgeBaseRetrievalResult> results;
    try {
      results = client.get().retrieve(request).retrievalResults();
    } catch (SdkException e) {
      throw new RetrievalException(message(query.kb(), id, AwsFailures.of(e)), e);
    }
    List<RetrievedChunk> chunks = new ArrayList<>();
    for (int rank = 0; rank < results.size(); rank++) {
      KnowledgeBaseRetrievalResult result = results.get(rank);
      double score = result.score() == null ? 0 : result.score();
      if (score >= query.minScore()) {
        chunks.add(chunk(result, score, rank));
      }
    }
    chunks.sort(Comparator.comparingDouble(RetrievedChunk::score).reversed());
    return chunks.size() > query.topK() ? List.copyOf(chunks.subList(0, query.topK())) : chunks;
  }

  /** No filter, one {@code equals}, or {@code andAll} of several (Bedrock wants two or more there). */
  static RetrievalFilter filter(Map<String, String> filter) {
    List<RetrievalFilter> conditions =
        filter.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> RetrievalFilter.fromEqualsValue(FilterAttribute.builder().key(e.getKey()).value(Document.fromString(e.getValue())).build()))
            .toList();
    return switch (conditions.size()) {
      case 0 -> null;
      case 1 -> conditions.getFirst();
      default -> RetrievalFilter.fromAndAll(conditions);
    };
  }

  private static RetrievedChunk chunk(KnowledgeBaseRetrievalResult result, double score, int rank) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (result.hasMetadata()) {
      result.metadata().forEach((key, value) -> metadata.put(key, flat(value)));
    }
    String documentId = documentId(result.location()).or(() -> Optional.ofNullable(metadata.get(SOURCE_URI))).orElse("unknown");
    String chunkId = metadata.getOrDefault(CHUNK_ID, documentId + "#" + rank);
    String text = result.content() == null || result.content().text() == null ? "" : result.content().text();
    return new RetrievedChunk(chunkId, documentId, title(documentId), 0, text, score, metadata);
  }

  /** The source document: its S3 URI, URL or custom id, by location type. */
  static Optional<String> documentId(RetrievalResultLocation location) {
    if (location == null) {
      return Optional.empty();
    }
    String id =
        switch (location.typeAsString()) {
          case "S3" -> location.s3Location() == null ? null : location.s3Location().uri();
          case "WEB" -> location.webLocation() == null ? null : location.webLocation().url();
          case "CONFLUENCE" -> location.confluenceLocation() == null ? null : location.confluenceLocation().url();
          case "SALESFORCE" -> location.salesforceLocation() == null ? null : location.salesforceLocation().url();
          case "SHAREPOINT" -> location.sharePointLocation() == null ? null : location.sharePointLocation().url();
          case "KENDRA" -> location.kendraDocumentLocation() == null ? null : location.kendraDocumentLocation().uri();
          case "CUSTOM" -> location.customDocumentLocation() == null ? null : location.customDocumentLocation().id();
          case null, default -> null;
        };
    return Optional.ofNullable(id).filter(s -> !s.isBlank());
  }

  /** The document's file name, the last segment of its URI. */
  private static String title(String documentId) {
    String trimmed = documentId.endsWith("/") ? documentId.substring(0, documentId.length() - 1) : documentId;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  private static String flat(Document value) {
    if (value == null || value.isNull()) {
      return "";
    }
    return value.isString() ? value.asString() : value.toString();
  }

  private static String message(String kb, String id, AwsFailures.Failure failure) {
    String head = "Bedrock knowledge base '" + id + "' (knowledge base '" + kb + "') " + failure.description();
    return switch (failure.kind()) {
      case THROTTLED -> head + "; retry later";
      case ACCESS_DENIED -> head + "; the role needs bedrock:Retrieve on the knowledge base";
      case NOT_FOUND -> head + "; check bedrockKnowledgeBaseId in the base item and the region";
      default -> head;
    };
  }
}
