package dev.tollgate.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RagFunction's wire format, shared by the function (which decodes queries and encodes answers)
 * and the proxy's Lambda retriever (the reverse), so the two cannot drift apart.
 *
 * <pre>
 * request  {"kb": "handbook", "query": "...", "topK": 4, "minScore": 0.3, "filter": {"lang": "en"}}
 * success  {"chunks": [{"chunkId", "documentId", "title", "position", "text", "score", "metadata": {}}]}
 * failure  {"error": {"type": "unknown_kb" | "invalid_request" | "retrieval_failed", "message": "..."}}
 * </pre>
 *
 * Failures are answers, not function errors: the caller tells a knowledge base that does not
 * exist from one that could not be searched, and both from an outage of the function itself.
 */
public final class RetrievalCodec {

  /** What went wrong, as the {@code error.type} of a failure answer. */
  public enum ErrorType {
    UNKNOWN_KB("unknown_kb"),
    INVALID_REQUEST("invalid_request"),
    RETRIEVAL_FAILED("retrieval_failed");

    private final String wire;

    ErrorType(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static ErrorType fromWire(String wire) {
      for (ErrorType type : values()) {
        if (type.wire.equals(wire)) {
          return type;
        }
      }
      return RETRIEVAL_FAILED;
    }
  }

  /** A request that is not a retrieval query, with a message naming the field and what it expects. */
  public static final class InvalidRequest extends Exception {
    public InvalidRequest(String message) {
      super(message);
    }
  }

  /** Longest query accepted; Titan Text Embeddings v2 reads at most 50,000 characters. */
  public static final int MAX_QUERY_CHARS = 20_000;

  private static final Set<String> FIELDS = Set.of("kb", "query", "topK", "minScore", "filter");

  private RetrievalCodec() {}

  /** The request RagFunction answers. */
  public static byte[] encodeQuery(RetrievalQuery query) {
    ObjectNode body = Json.object();
    body.put("kb", query.kb());
    body.put("query", query.query());
    body.put("topK", query.topK());
    body.put("minScore", query.minScore());
    ObjectNode filter = body.putObject("filter");
    query.filter().forEach(filter::put);
    return Json.bytes(body);
  }

  /** Reads a request; {@code topK} defaults to {@value RetrievalQuery#DEFAULT_TOP_K}, {@code minScore} to 0. */
  public static RetrievalQuery decodeQuery(byte[] bytes) throws InvalidRequest {
    JsonNode body = parse(bytes, "the request");
    if (!body.isObject()) {
      throw new InvalidRequest("the request must be a JSON object with 'kb' and 'query'");
    }
    for (String field : iterable(body.fieldNames())) {
      if (!FIELDS.contains(field)) {
        throw new InvalidRequest("unknown field '" + field + "'; expected kb, query, topK, minScore, filter");
      }
    }
    String kb = requiredText(body, "kb");
    String query = requiredText(body, "query");
    if (query.length() > MAX_QUERY_CHARS) {
      throw new InvalidRequest("'query' is " + query.length() + " characters; at most " + MAX_QUERY_CHARS + " are accepted");
    }
    int topK = topK(body.get("topK"));
    double minScore = minScore(body.get("minScore"));
    return new RetrievalQuery(kb, query, topK, minScore, filter(body.get("filter")));
  }

  /** A success answer. */
  public static byte[] encodeChunks(List<RetrievedChunk> chunks) {
    ObjectNode body = Json.object();
    var array = body.putArray("chunks");
    for (RetrievedChunk chunk : chunks) {
      ObjectNode node = array.addObject();
      node.put("chunkId", chunk.chunkId());
      node.put("documentId", chunk.documentId());
      node.put("title", chunk.title());
      node.put("position", chunk.position());
      node.put("text", chunk.text());
      node.put("score", chunk.score());
      ObjectNode metadata = node.putObject("metadata");
      chunk.metadata().forEach(metadata::put);
    }
    return Json.bytes(body);
  }

  /** A failure answer. */
  public static byte[] encodeError(ErrorType type, String message) {
    ObjectNode body = Json.object();
    body.putObject("error").put("type", type.wire()).put("message", message);
    return Json.bytes(body);
  }

  /**
   * The chunks of an answer to a query on {@code kb}.
   *
   * @throws UnknownKnowledgeBaseException when the answer says the knowledge base does not exist
   * @throws RetrievalException for any other failure answer, or an answer that is not one
   */
  public static List<RetrievedChunk> decodeAnswer(byte[] bytes, String kb) {
    JsonNode body;
    try {
      body = parse(bytes, "the answer");
    } catch (InvalidRequest e) {
      throw new RetrievalException("RagFunction's answer is not JSON: " + e.getMessage());
    }
    JsonNode error = body.path("error");
    if (error.isObject()) {
      ErrorType type = ErrorType.fromWire(error.path("type").asText());
      String message = error.path("message").asText("no message");
      throw switch (type) {
        case UNKNOWN_KB -> new UnknownKnowledgeBaseException(kb);
        case INVALID_REQUEST -> new RetrievalException("RagFunction refused the query: " + message);
        case RETRIEVAL_FAILED -> new RetrievalException("RagFunction could not retrieve from '" + kb + "': " + message);
      };
    }
    JsonNode chunks = body.path("chunks");
    if (!chunks.isArray()) {
      throw new RetrievalException("RagFunction's answer has neither 'chunks' nor 'error'");
    }
    List<RetrievedChunk> out = new ArrayList<>(chunks.size());
    for (JsonNode chunk : chunks) {
      Map<String, String> metadata = new LinkedHashMap<>();
      chunk.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
      out.add(
          new RetrievedChunk(
              chunk.path("chunkId").asText(),
              chunk.path("documentId").asText(),
              chunk.path("title").asText(""),
              chunk.path("position").asInt(),
              chunk.path("text").asText(),
              chunk.path("score").asDouble(),
              metadata));
    }
    return out;
  }

  private static JsonNode parse(byte[] bytes, String what) throws InvalidRequest {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRequest(what + " is empty");
    }
    try {
      return Json.parse(bytes);
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequest(what + " is not valid JSON");
    }
  }

  private static String requiredText(JsonNode body, String field) throws InvalidRequest {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidRequest("'" + field + "' is required");
    }
    if (!value.isTextual()) {
      throw new InvalidRequest("'" + field + "' must be a string, got " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    if (value.asText().isBlank()) {
      throw new InvalidRequest("'" + field + "' must not be blank");
    }
    return value.asText();
  }

  private static int topK(JsonNode value) throws InvalidRequest {
    if (value == null || value.isNull()) {
      return RetrievalQuery.DEFAULT_TOP_K;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()
        || value.asInt() < 1 || value.asInt() > RetrievalQuery.MAX_TOP_K) {
      throw new InvalidRequest("'topK' must be a whole number from 1 to " + RetrievalQuery.MAX_TOP_K + ", got " + value);
    }
    return value.asInt();
  }

  private static double minScore(JsonNode value) throws InvalidRequest {
    if (value == null || value.isNull()) {
      return 0;
    }
    if (!value.isNumber() || value.asDouble() < -1 || value.asDouble() > 1) {
      throw new InvalidRequest("'minScore' must be a number from -1 to 1 (a cosine similarity), got " + value);
    }
    return value.asDouble();
  }

  private static Map<String, String> filter(JsonNode value) throws InvalidRequest {
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new InvalidRequest("'filter' must be an object of metadata names to string values, got " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    Map<String, String> filter = new LinkedHashMap<>();
    for (var entry : value.properties()) {
      if (!entry.getValue().isTextual()) {
        throw new InvalidRequest("'filter." + entry.getKey() + "' must be a string, got " + entry.getValue());
      }
      filter.put(entry.getKey(), entry.getValue().asText());
    }
    return filter;
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    return () -> iterator;
  }
}
