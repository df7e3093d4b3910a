package dev.tollgate.rag.function;

import dev.tollgate.rag.RetrievalCodec;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.UnknownKnowledgeBaseException;
import dev.tollgate.telemetry.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs sample requests through the handling path (codec, validation, retrieval, answers and
 * error answers) against a stand-in retriever, so a SnapStart snapshot holds loaded and warmed
 * classes. It uses no network.
 */
final class RagPriming {

  private RagPriming() {}

  /** Returns how many of the four samples came out as expected (a success, an unknown base, a refusal, a decoded answer). */
  static int run() {
    var chunk = new RetrievedChunk("prime.md#0", "prime.md", "Prime", 0, "warm", 0.9, Map.of("lang", "en"));
    var endpoint =
        new RetrievalEndpoint(
            query -> {
              if (!query.kb().equals("prime")) {
                throw new UnknownKnowledgeBaseException(query.kb());
              }
              return List.of(chunk);
            },
            Metrics.NONE);
    int ok = 0;
    ok += answer(endpoint, "{\"kb\":\"prime\",\"query\":\"warm up\",\"topK\":2,\"minScore\":0.1,\"filter\":{\"lang\":\"en\"}}").contains("\"chunks\"") ? 1 : 0;
    ok += answer(endpoint, "{\"kb\":\"other\",\"query\":\"warm up\"}").contains("unknown_kb") ? 1 : 0;
    ok += answer(endpoint, "{\"kb\":\"prime\",\"topK\":0}").contains("invalid_request") ? 1 : 0;
    // Decoding an answer warms the proxy-side half of the codec too (shared classes).
    ok += RetrievalCodec.decodeAnswer(RetrievalCodec.encodeChunks(List.of(chunk)), "prime").size() == 1 ? 1 : 0;
    return ok;
  }

  private static String answer(RetrievalEndpoint endpoint, String request) {
    return new String(endpoint.handle(request.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }
}
