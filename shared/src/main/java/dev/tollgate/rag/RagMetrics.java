package dev.tollgate.rag;

/** Metric names of retrieval in the proxy, in one place so dashboards and code agree. */
public final class RagMetrics {

  /** Retrievals that failed (store, model or function down, or an unknown knowledge base), whatever onError did. */
  public static final String RETRIEVAL_FAILED = "RagRetrievalFailed";
  /** Of those, the ones naming a knowledge base that does not exist: a config mistake, not an outage. */
  public static final String UNKNOWN_KB = "RagUnknownKnowledgeBase";
  /** Requests that got a context block. */
  public static final String INJECTED = "RagContextInjected";
  /** Retrievals that found no chunk scoring at least minScore. */
  public static final String NO_MATCH = "RagNoMatch";

  private RagMetrics() {}
}
