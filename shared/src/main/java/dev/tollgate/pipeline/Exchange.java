package dev.tollgate.pipeline;

import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.api.TollgateExtension;
import dev.tollgate.auth.Consumer;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.provider.Usage;
import dev.tollgate.rag.Citation;
import dev.tollgate.routing.Route;
import dev.tollgate.routing.TargetAdmission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state of one request as it moves through the pipeline: what arrived, what each policy
 * established (consumer, parsed request, route), and what happened upstream.
 */
public final class Exchange {

  private final GatewayRequest request;
  private final long startNanos;
  private final GatewayConfig config;
  private final List<Attempt> attempts = new ArrayList<>();
  private final Map<String, String> responseHeaders = new LinkedHashMap<>();
  private Consumer consumer;
  private ChatRequest chatRequest;
  private EmbeddingsRequest embeddingsRequest;
  private Route route;
  private String answeredBy;
  private Usage usage = Usage.NONE;
  private long upstreamNanos;
  private final List<Runnable> completionHooks = new ArrayList<>();
  private String outcome;
  private TargetAdmission admission = TargetAdmission.ALL;
  private final List<Runnable> finalHooks = new ArrayList<>();
  private final List<Verdict> verdicts = new ArrayList<>();
  private volatile Supplier<String> answerText = () -> "";
  private volatile int status;
  private TollgateExtension extension = TollgateExtension.NONE;
  private volatile long firstByteNanos;
  private volatile long firstByteAtNanos;
  private volatile boolean streamed;
  private volatile long overheadNanos;
  private volatile List<Citation> sources = List.of();
  private volatile String questionBeforeContext;
  private volatile String cacheStatus = "off";

  public Exchange(GatewayRequest request, long startNanos, GatewayConfig config) {
    this.request = request;
    this.startNanos = startNanos;
    this.config = config;
  }

  public GatewayRequest request() {
    return request;
  }

  public String requestId() {
    return request.requestId();
  }

  public long startNanos() {
    return startNanos;
  }

  public GatewayConfig config() {
    return config;
  }

  public Optional<Consumer> consumer() {
    return Optional.ofNullable(consumer);
  }

  public void consumer(Consumer consumer) {
    this.consumer = consumer;
  }

  /** The validated chat request; only after the validation policy ran. */
  public ChatRequest chatRequest() {
    if (chatRequest == null) {
      throw new IllegalStateException("the chat request is read before it was validated");
    }
    return chatRequest;
  }

  public void chatRequest(ChatRequest chatRequest) {
    this.chatRequest = chatRequest;
  }

  /** The validated embeddings request; only after the embeddings validation ran. */
  public EmbeddingsRequest embeddingsRequest() {
    if (embeddingsRequest == null) {
      throw new IllegalStateException("the embeddings request is read before it was validated");
    }
    return embeddingsRequest;
  }

  public void embeddingsRequest(EmbeddingsRequest embeddingsRequest) {
    this.embeddingsRequest = embeddingsRequest;
  }

  /** Whether this is an embeddings request (else a chat completion, once validated). */
  public boolean isEmbeddings() {
    return embeddingsRequest != null;
  }

  /** The model alias the validated request names, whichever endpoint it came to. */
  public String requestedModel() {
    return embeddingsRequest != null ? embeddingsRequest.model() : chatRequest().model();
  }

  /** The resolved route; only after the routing policy ran. */
  public Route route() {
    if (route == null) {
      throw new IllegalStateException("the route is read before it was resolved");
    }
    return route;
  }

  /** The resolved route, or empty when the request ended before routing. */
  public Optional<Route> resolvedRoute() {
    return Optional.ofNullable(route);
  }

  /** The validated chat request, or empty when the request ended before validation (or is embeddings). */
  public Optional<ChatRequest> validatedChat() {
    return Optional.ofNullable(chatRequest);
  }

  /** The model the validated request named, or empty when it ended before validation. */
  public Optional<String> validatedModel() {
    if (embeddingsRequest != null) {
      return Optional.ofNullable(embeddingsRequest.model());
    }
    return chatRequest == null ? Optional.empty() : Optional.ofNullable(chatRequest.model());
  }

  public void route(Route route) {
    this.route = route;
  }

  public Optional<String> answeredBy() {
    return Optional.ofNullable(answeredBy);
  }

  public void answeredBy(String targetId) {
    this.answeredBy = targetId;
  }

  public Usage usage() {
    return usage;
  }

  public void usage(Usage usage) {
    this.usage = usage;
  }

  public List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  public void recordAttempt(Attempt attempt, long elapsedNanos) {
    attempts.add(attempt);
    upstreamNanos += elapsedNanos;
  }

  /**
   * Marks the answering attempt's first byte: the whole answer of a completion, the first chunk of
   * a stream (whose remaining time runs until the body is over).
   */
  public void firstByte(long attemptStartNanos, long atNanos, boolean streamed) {
    this.firstByteNanos = atNanos - attemptStartNanos;
    this.firstByteAtNanos = atNanos;
    this.streamed = streamed;
  }

  /** Upstream time to first byte of the attempt that answered; 0 when none answered. */
  public long firstByteNanos() {
    return firstByteNanos;
  }

  /** When ({@link System#nanoTime()}) the answering attempt's first byte came; 0 when none answered. */
  public long firstByteAtNanos() {
    return firstByteAtNanos;
  }

  /** Whether the answer is a stream that was still being read after the attempt returned. */
  public boolean streamed() {
    return streamed;
  }

  /** The gateway's own time up to the response headers (total minus upstream waits). */
  public long overheadNanos() {
    return overheadNanos;
  }

  public void overheadNanos(long nanos) {
    this.overheadNanos = nanos;
  }

  /** Time spent waiting on upstreams, all attempts together. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  /**
   * Runs {@code hook} once the response body is over: at once for a whole answer, at the end of
   * a stream (after its usage is known), however the stream ended. Settlement and audit hang here.
   */
  public synchronized void whenComplete(Runnable hook) {
    completionHooks.add(hook);
  }

  /**
   * Runs {@code hook} once the body is over and every {@link #whenComplete} hook has run, so it
   * sees settled usage: the audit record and the moderation queue hang here.
   */
  public synchronized void afterComplete(Runnable hook) {
    finalHooks.add(hook);
  }

  /** Called by the edge once, when the body is over; {@code outcome} says how it ended. */
  public void complete(String outcome) {
    List<Runnable> hooks;
    synchronized (this) {
      if (this.outcome != null) {
        return;
      }
      this.outcome = outcome;
      hooks = new ArrayList<>(completionHooks);
      hooks.addAll(finalHooks);
    }
    hooks.forEach(Runnable::run);
  }

  /** The HTTP status the client was sent (200 for a stream, whatever happened later); 0 before. */
  public int status() {
    return status;
  }

  public void status(int status) {
    this.status = status;
  }

  /** Records what a policy decided, for the audit record. */
  public synchronized void verdict(Verdict verdict) {
    verdicts.add(verdict);
  }

  public synchronized List<Verdict> verdicts() {
    return List.copyOf(verdicts);
  }

  /**
   * The answer text the client was sent (after response filters), complete once the body is over;
   * empty for errors and embeddings.
   */
  public String answerText() {
    return answerText.get();
  }

  public void answerText(Supplier<String> text) {
    this.answerText = text;
  }

  /** How the body ended ({@code ok}, a failure label, {@code client disconnected}); empty before. */
  public synchronized Optional<String> outcome() {
    return Optional.ofNullable(outcome);
  }

  /** Who decides, before each upstream attempt, whether a target may be called (limits). */
  public TargetAdmission admission() {
    return admission;
  }

  public void admission(TargetAdmission admission) {
    this.admission = admission;
  }

  /** The request's {@code tollgate} extension (template, variables), taken out of its body at validation. */
  public TollgateExtension extension() {
    return extension;
  }

  public void extension(TollgateExtension extension) {
    this.extension = extension;
  }

  /** The last user message as the caller wrote it, when a retrieval step is about to add context to the prompt. */
  public Optional<String> questionBeforeContext() {
    return Optional.ofNullable(questionBeforeContext);
  }

  public void questionBeforeContext(String question) {
    this.questionBeforeContext = question;
  }

  /** The knowledge-base chunks the answer was grounded in, in context order; empty without retrieval. */
  public List<Citation> sources() {
    return sources;
  }

  public void sources(List<Citation> sources) {
    this.sources = List.copyOf(sources);
  }

  /** The response cache's part in this request: {@code hit}, {@code miss}, {@code bypass} or {@code off}. */
  public String cacheStatus() {
    return cacheStatus;
  }

  public void cacheStatus(String status) {
    this.cacheStatus = status;
  }

  /** Extra headers a policy wants on the response. */
  public Map<String, String> responseHeaders() {
    return responseHeaders;
  }
}
