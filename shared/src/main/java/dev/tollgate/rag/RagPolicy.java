package dev.tollgate.rag;

import dev.tollgate.api.ChatRequest;
import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.Metrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grounds chat answers in a knowledge base. Runs after routing (the alias is final and allowed)
 * and before the limits (the injected context is reserved like any prompt). One retrieval policy
 * applies per request: the one whose kb the request names ({@code "tollgate": {"kb": ...}}, 403
 * {@code kb_not_allowed} when no policy for this model and caller names it), else the first
 * matching one by order, then name. Its chunks go into the prompt as a numbered context block,
 * their sources into {@value SourcesHeader#NAME} and the audit record. A failed retrieval answers
 * without context or 503, as the policy's {@code onError} says. Each decision leaves a verdict
 * {@code rag/<policy>/inject|none|failed|skip} and says itself in {@value #STATUS_HEADER}.
 */
public final class RagPolicy implements Policy {

  public static final String STAGE = "rag";
  public static final String STATUS_HEADER = "x-tollgate-rag";
  /** The query is the start of the last user message, cut here: embedding models read no further. */
  static final int MAX_QUERY_CHARS = 2000;
  private static final Logger LOG = LoggerFactory.getLogger(RagPolicy.class);

  private final Retriever retriever;
  private final Metrics metrics;

  public RagPolicy(Retriever retriever, Metrics metrics) {
    this.retriever = retriever;
    this.metrics = metrics;
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    String alias = exchange.chatRequest().model();
    String group = exchange.consumer().map(Consumer::group).orElse("");
    List<RagRule> matching = exchange.config().rag().stream().filter(rule -> rule.matches(alias, group)).toList();
    Optional<RagRule> automatic = matching.stream().filter(rule -> !rule.onRequest()).findFirst();
    Optional<String> asked = exchange.extension().kb();
    if (asked.isEmpty()) {
      return automatic.map(rule -> ground(exchange, chain, rule)).orElseGet(() -> chain.proceed(exchange));
    }
    if (asked.get().equals(RagRule.NO_KB)) {
      if (automatic.isEmpty()) {
        return chain.proceed(exchange);
      }
      if (!automatic.get().optional()) {
        return Reply.error(RagErrors.kbRequired());
      }
      return skip(exchange, chain, automatic.get(), "turned off by the request");
    }
    Optional<RagRule> named = matching.stream().filter(rule -> rule.kb().equals(asked.get())).findFirst();
    if (named.isEmpty()) {
      return Reply.error(RagErrors.kbNotAllowed(asked.get()));
    }
    return ground(exchange, chain, named.get());
  }

  private Reply ground(Exchange exchange, PolicyChain chain, RagRule rule) {
    String question = exchange.chatRequest().lastUserText();
    exchange.questionBeforeContext(question); // the semantic cache compares questions, not context blocks
    String query = question.strip();
    if (query.isEmpty()) {
      return skip(exchange, chain, rule, "no user text");
    }
    if (query.length() > MAX_QUERY_CHARS) {
      query = query.substring(0, MAX_QUERY_CHARS);
    }
    List<RetrievedChunk> chunks;
    try {
      chunks = retriever.retrieve(new RetrievalQuery(rule.kb(), query, rule.topK(), rule.minScore(), filter(exchange, rule)));
    } catch (RuntimeException e) {
      return failed(exchange, chain, rule, e);
    }
    ContextBlock block =
        ContextBlock.of(chunks.stream().filter(chunk -> chunk.score() >= rule.minScore()).toList(), rule.maxContextChars());
    if (block.isEmpty()) {
      metrics.increment(RagMetrics.NO_MATCH);
      exchange.verdict(new Verdict(STAGE, rule.name(), "none",
          "kb=" + rule.kb() + ", " + (chunks.isEmpty() ? "no chunk scored " + rule.minScore() : "no chunk fits maxContextChars")));
      exchange.responseHeaders().put(STATUS_HEADER, "none");
      return chain.proceed(exchange);
    }
    ChatRequest request = exchange.chatRequest();
    ContextInjector.inject(request.body(), block.text(), rule.inject());
    exchange.chatRequest(new ChatRequest(request.body()));
    List<Citation> citations = cite(rule.kb(), block.chunks());
    exchange.sources(citations);
    metrics.increment(RagMetrics.INJECTED);
    exchange.verdict(new Verdict(STAGE, rule.name(), "inject",
        "kb=" + rule.kb() + ", " + citations.size() + " of " + chunks.size() + " chunks"));
    exchange.responseHeaders().put(STATUS_HEADER, "inject");
    exchange.responseHeaders().put(SourcesHeader.NAME, SourcesHeader.of(citations));
    return chain.proceed(exchange);
  }

  /** The policy's filter, narrowed by the request's {@code kbFilter}; the policy's own keys keep their values. */
  private static Map<String, String> filter(Exchange exchange, RagRule rule) {
    Map<String, String> filter = new HashMap<>(exchange.extension().kbFilter());
    filter.putAll(rule.filter());
    return filter;
  }

  private Reply failed(Exchange exchange, PolicyChain chain, RagRule rule, RuntimeException e) {
    metrics.increment(RagMetrics.RETRIEVAL_FAILED);
    boolean unknown = e instanceof UnknownKnowledgeBaseException;
    if (unknown) {
      metrics.increment(RagMetrics.UNKNOWN_KB);
    }
    boolean fail = rule.onError() == RagRule.OnError.FAIL;
    String reason = unknown ? "unknown knowledge base" : "retrieval unavailable";
    if (e instanceof RetrievalException) {
      LOG.warn("Retrieval policy {} could not search kb {} for request {} ({}); {}", rule.name(), rule.kb(),
          exchange.requestId(), e.getMessage(), fail ? "onError fail: refusing it" : "onError answer: answering without context");
    } else {
      LOG.error("Retrieval policy {}: the retriever broke its contract for request {}", rule.name(), exchange.requestId(), e);
    }
    exchange.verdict(new Verdict(STAGE, rule.name(), "failed", "kb=" + rule.kb() + ", " + reason + (fail ? ", 503" : ", answered without context")));
    exchange.responseHeaders().put(STATUS_HEADER, "unavailable");
    return fail ? Reply.error(RagErrors.unavailable(rule.name())) : chain.proceed(exchange);
  }

  private static Reply skip(Exchange exchange, PolicyChain chain, RagRule rule, String why) {
    exchange.verdict(new Verdict(STAGE, rule.name(), "skip", why));
    exchange.responseHeaders().put(STATUS_HEADER, "skip");
    return chain.proceed(exchange);
  }

  private static List<Citation> cite(String kb, List<RetrievedChunk> chunks) {
    return java.util.stream.IntStream.range(0, chunks.size()).mapToObj(i -> Citation.of(i + 1, kb, chunks.get(i))).toList();
  }
}
