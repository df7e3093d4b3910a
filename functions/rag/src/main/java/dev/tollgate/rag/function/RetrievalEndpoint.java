package dev.tollgate.rag.function;

import dev.tollgate.embedding.EmbeddingUnavailableException;
import dev.tollgate.rag.RetrievalCodec;
import dev.tollgate.rag.RetrievalCodec.ErrorType;
import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.Retriever;
import dev.tollgate.rag.UnknownKnowledgeBaseException;
import dev.tollgate.telemetry.Metrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invocation: request bytes in, answer bytes out, in {@link RetrievalCodec}'s format. Every
 * failure is an answer ({@code unknown_kb}, {@code invalid_request}, {@code retrieval_failed}),
 * never a function error, so the proxy can tell them from an outage. Logs name the knowledge
 * base and the outcome, never the query.
 */
final class RetrievalEndpoint {

  static final String RETRIEVALS = "Retrievals";
  static final String RETRIEVAL_ERRORS = "RetrievalErrors";
  static final String RETRIEVAL_MS = "RetrievalLatencyMs";

  private static final Logger LOG = LoggerFactory.getLogger(RetrievalEndpoint.class);

  private final Retriever retriever;
  private final Metrics metrics;

  RetrievalEndpoint(Retriever retriever, Metrics metrics) {
    this.retriever = retriever;
    this.metrics = metrics;
  }

  byte[] handle(byte[] request) {
    RetrievalQuery query;
    try {
      query = RetrievalCodec.decodeQuery(request);
    } catch (RetrievalCodec.InvalidRequest e) {
      LOG.warn("Refused a retrieval request: {}", e.getMessage());
      return failed(ErrorType.INVALID_REQUEST, e.getMessage());
    }
    long start = System.nanoTime();
    metrics.increment(RETRIEVALS);
    try {
      List<RetrievedChunk> chunks = retriever.retrieve(query);
      double ms = (System.nanoTime() - start) / 1e6;
      metrics.milliseconds(RETRIEVAL_MS, ms);
      LOG.info("Retrieved {} chunks from '{}' (topK {}) in {} ms", chunks.size(), query.kb(), query.topK(), Math.round(ms));
      return RetrievalCodec.encodeChunks(chunks);
    } catch (UnknownKnowledgeBaseException e) {
      LOG.info("Knowledge base '{}' does not exist", query.kb());
      return failed(ErrorType.UNKNOWN_KB, e.getMessage());
    } catch (RetrievalException | EmbeddingUnavailableException e) {
      LOG.error("Retrieval from '{}' failed: {}", query.kb(), e.getMessage());
      return failed(ErrorType.RETRIEVAL_FAILED, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("Retrieval from '{}' failed unexpectedly", query.kb(), e);
      return failed(ErrorType.RETRIEVAL_FAILED, "unexpected " + e.getClass().getSimpleName() + " in RagFunction (see its log)");
    }
  }

  private byte[] failed(ErrorType type, String message) {
    metrics.increment(RETRIEVAL_ERRORS);
    return RetrievalCodec.encodeError(type, message);
  }
}
