package dev.tollgate.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.provider.TextKeepingStream;
import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import dev.tollgate.routing.TargetAdmission;
import dev.tollgate.telemetry.MetricNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request's limits: before each attempt it reserves what every applicable policy expects the
 * call on that target to use; a failed attempt gives it back; when the response is over, the
 * attempt that answered is settled to the usage the upstream reported (or, where it reported none,
 * to the tokens of what was actually sent back).
 *
 * <p>A refusal by a policy that another target could change (a per-target counter or filter, or a
 * cost from that target's prices) skips the target; any other refusal answers 429 at once.
 * Policies with {@code clampMaxTokens} first try a smaller answer allowance that still fits.
 */
final class QuotaGate implements TargetAdmission {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QuotaGate.class);

  /** The audit verdicts' stage name for limit decisions. */
  static final String STAGE = "limit";

  /** Reserve rounds at most: each clamps the allowance lower, so a few always settle it. */
  private static final int CLAMP_ROUNDS = 4;

  private final List<LimitPolicy> policies;
  private final Exchange exchange;
  private final QuotaPolicy.Context context;
  private final PromptEstimates prompts;
  private final ChatRequest originalChat;
  /**
   * Settlement markers are keyed by reservation id, so ids must never repeat across instances,
   * even when request ids do (a client-chosen one, a test's): the request id plus a random UUID.
   */
  private final String reservationIds;
  private int attempts;
  private Attempt held;
  private JsonNode wholeAnswer;
  private TextKeepingStream streamedAnswer;

  /** The attempt whose reservations are held, and what they were reserved for. */
  private record Attempt(Target target, List<PlannedDraw> draws, QuotaReserver.Held held, long promptTokens) {}

  QuotaGate(List<LimitPolicy> policies, Exchange exchange, QuotaPolicy.Context context) {
    this.policies = policies;
    this.exchange = exchange;
    this.context = context;
    this.prompts = new PromptEstimates(exchange);
    this.originalChat = prompts.isChat() ? exchange.chatRequest() : null;
    this.reservationIds = exchange.requestId() + "/" + java.util.UUID.randomUUID();
  }

  @Override
  public synchronized Decision admit(Target target) {
    List<LimitPolicy> applicable =
        policies.stream().filter(p -> p.match().targets().isEmpty() || p.match().targets().contains(target.id())).toList();
    if (originalChat != null) {
      exchange.chatRequest(originalChat);
    }
    if (applicable.isEmpty()) {
      return Decision.ADMIT;
    }
    Instant now = context.clock().instant();
    long prompt = needsTokens(applicable) ? prompts.promptTokens(target.model()) : 0;
    long cap = Long.MAX_VALUE;
    for (int round = 1; ; round++) {
      List<PlannedDraw> draws = plan(applicable, target, prompt, cap);
      String reservationId = reservationIds + "/" + ++attempts;
      switch (context.reserver().reserve(reservationId, draws, now)) {
        case QuotaReserver.Admitted admitted -> {
          if (admitted.held().cluster() == null) {
            // Cluster counters unreachable and every cluster policy fails open: let through uncounted.
            draws.stream().filter(d -> d.policy().mode() == LimitPolicy.Mode.CLUSTER).forEach(d ->
                exchange.verdict(new Verdict(STAGE, d.policy().name(), "failOpen", "target " + target.id() + ": counter store unreachable, not counted")));
          }
          held = new Attempt(target, draws, admitted.held(), prompt);
          rewriteMaxTokens(applicable, cap);
          writeHeaders(draws, admitted.held(), now);
          return Decision.ADMIT;
        }
        case QuotaReserver.Unavailable unavailable -> {
          context.metrics().increment(MetricNames.LIMIT_REJECTED);
          exchange.verdict(new Verdict(STAGE, unavailable.policy().name(), "unavailable", "counter store unreachable, fail closed"));
          return new Decision.Refuse(LimitErrors.storeUnavailable(unavailable.policy()));
        }
        case QuotaReserver.Refused refused -> {
          long room = clampRoom(refused, prompt);
          if (round < CLAMP_ROUNDS && room >= 1 && room < allowance(refused.draw().policy(), cap)) {
            cap = room;
            continue;
          }
          return refusal(refused, target);
        }
      }
    }
  }

  @Override
  public synchronized void attemptFailed(Target target) {
    if (held != null) {
      context.reserver().release(held.held(), context.clock().instant());
      held = null;
    }
  }

  /** The answer of a whole completion, for settling when the upstream reported no usage. */
  synchronized void answered(JsonNode completion) {
    wholeAnswer = completion;
  }

  /** A stream that keeps its text, for settling a stream without reported usage. */
  synchronized TextKeepingStream streamed(dev.tollgate.provider.ChunkStream chunks) {
    // Kept whole: a stream cut before its usage settles to the tokens of all the text it sent.
    streamedAnswer = new TextKeepingStream(chunks, Integer.MAX_VALUE);
    return streamedAnswer;
  }

  /**
   * Once the response is over: the attempt still held is the one that answered (failed ones gave
   * theirs back), so it is settled to what it used; a request that ended in the gateway's own
   * error before any answer gives back what it held.
   */
  void complete() {
    Attempt answered;
    synchronized (this) {
      answered = held;
      held = null;
    }
    if (answered == null) {
      return;
    }
    Instant now = context.clock().instant();
    if (exchange.answeredBy().isEmpty()) {
      context.reserver().release(answered.held(), now);
      return;
    }
    Usage usage = usedBy(answered);
    Map<CounterKey, Long> actual = new HashMap<>();
    for (PlannedDraw draw : answered.draws()) {
      actual.put(draw.draw().counter(), PlannedDraw.actual(draw.policy(), usage, answered.target(), context.costs(exchange)));
    }
    context.reserver().settle(answered.held(), actual, now);
  }

  /** What the answer used: the upstream's count, or the prompt estimate and the answer's tokens. */
  private Usage usedBy(Attempt answered) {
    Usage reported = exchange.usage();
    if (reported.promptTokens() > 0 || reported.completionTokens() > 0) {
      long total = Math.max(reported.totalTokens(), reported.promptTokens() + reported.completionTokens());
      return new Usage(reported.promptTokens(), reported.completionTokens(), total, reported.cachedTokens());
    }
    long prompt = answered.promptTokens() > 0 ? answered.promptTokens() : prompts.promptTokens(answered.target().model());
    String text;
    synchronized (this) {
      text = streamedAnswer != null ? streamedAnswer.text() : wholeAnswer != null ? PromptEstimates.answerText(wholeAnswer) : "";
    }
    long completion = PromptEstimates.textTokens(text, answered.target().model());
    return new Usage(prompt, completion, prompt + completion);
  }

  private List<PlannedDraw> plan(List<LimitPolicy> applicable, Target target, long prompt, long cap) {
    ScopeValues values = new ScopeValues(exchange, target);
    List<PlannedDraw> draws = new ArrayList<>();
    for (LimitPolicy policy : applicable) {
      CounterKey counter = new CounterKey(policy.name(), ScopeKey.of(policy.scope(), values), policy.window());
      Optional<ModelPrice> price =
          policy.metric() == LimitPolicy.Metric.COST_USD ? context.costs(exchange).priceOf(target) : Optional.empty();
      long amount = PlannedDraw.estimate(policy, prompt, allowance(policy, cap), price);
      draws.add(new PlannedDraw(policy, new Draw(counter, policy.limit(), amount)));
    }
    return draws;
  }

  /** The answer tokens a policy reserves for: the client's max, else the policy's default, within the clamp. */
  private long allowance(LimitPolicy policy, long cap) {
    if (originalChat == null) {
      return 0; // embeddings have no answer tokens
    }
    long requested = originalChat.maxCompletionTokens();
    return Math.min(requested > 0 ? requested : policy.defaultMaxTokens(), cap);
  }

  /** The largest allowance the refused counter has room for, or -1 when its policy does not clamp. */
  private long clampRoom(QuotaReserver.Refused refused, long prompt) {
    LimitPolicy policy = refused.draw().policy();
    if (!policy.clampMaxTokens() || originalChat == null) {
      return -1;
    }
    long remaining = refused.rejection().remaining();
    return switch (policy.metric()) {
      case TOTAL_TOKENS -> remaining - prompt;
      case COMPLETION_TOKENS -> remaining;
      default -> -1;
    };
  }

  /**
   * Policies that clamp also bound the answer: the upstream is asked for at most what was reserved
   * (the clamp, or the smallest default of those policies when the client set no maximum).
   */
  private void rewriteMaxTokens(List<LimitPolicy> applicable, long cap) {
    List<LimitPolicy> clamping = applicable.stream().filter(LimitPolicy::clampMaxTokens).toList();
    if (originalChat == null || clamping.isEmpty()) {
      return;
    }
    long bound = clamping.stream().mapToLong(p -> allowance(p, cap)).min().orElseThrow();
    if (bound == originalChat.maxCompletionTokens()) {
      return;
    }
    ObjectNode body = originalChat.body().deepCopy();
    body.put(body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", bound);
    exchange.chatRequest(new ChatRequest(body));
  }

  private Decision refusal(QuotaReserver.Refused refused, Target target) {
    ReserveOutcome.Rejected rejection = refused.rejection();
    LimitPolicy policy = refused.draw().policy();
    RateLimitHeaders.put(exchange.responseHeaders(), policy, policy.limit() - rejection.remaining(), rejection.retryAfter());
    ApiError error = LimitErrors.rejected(policy, rejection.draw().amount(), rejection.remaining(), rejection.retryAfter());
    exchange.responseHeaders().put("retry-after-ms", Long.toString(Math.max(1, rejection.retryAfter().toMillis())));
    String detail = "target " + target.id() + ": needed " + rejection.draw().amount() + ", " + rejection.remaining() + " left";
    if (refused.draw().dependsOnTarget()) {
      context.metrics().increment(MetricNames.LIMIT_TARGET_SKIPPED);
      exchange.verdict(new Verdict(STAGE, policy.name(), "skip", detail));
      return new Decision.Skip(error);
    }
    context.metrics().increment(MetricNames.LIMIT_REJECTED);
    exchange.verdict(new Verdict(STAGE, policy.name(), "refuse", detail));
    LOG.info(
        "Request {} of consumer '{}' refused by limit policy '{}': needed {}, {} left",
        exchange.requestId(), exchange.consumer().map(Consumer::name).orElse("?"), policy.name(),
        rejection.draw().amount(), rejection.remaining());
    return new Decision.Refuse(error);
  }

  /** The headers of the counters this attempt holds (a fail-open policy holds none, and is not read). */
  private void writeHeaders(List<PlannedDraw> draws, QuotaReserver.Held held, Instant now) {
    List<PlannedDraw> unknown =
        draws.stream().filter(d -> held.holds(d.draw().counter()) && !held.usedAfter().containsKey(d.draw().counter())).toList();
    Map<CounterKey, Long> used = new HashMap<>(held.usedAfter());
    if (!unknown.isEmpty()) {
      used.putAll(context.reserver().read(unknown, now));
    }
    RateLimitHeaders.clear(exchange.responseHeaders());
    for (PlannedDraw draw : draws) {
      Long count = used.get(draw.draw().counter());
      if (count != null) {
        RateLimitHeaders.put(exchange.responseHeaders(), draw.policy(), count, RateLimitHeaders.reset(draw.policy().window(), now));
      }
    }
  }

  private static boolean needsTokens(List<LimitPolicy> policies) {
    return policies.stream().anyMatch(p -> p.metric() != LimitPolicy.Metric.REQUESTS);
  }

  /** The request's value for each scope part, on one target. */
  private record ScopeValues(Exchange exchange, Target target) implements ScopeKey.Values {
    @Override
    public Optional<String> of(LimitScope part) {
      Optional<Consumer> consumer = exchange.consumer();
      return switch (part.kind()) {
        case ROUTE -> Optional.of(exchange.route().alias());
        case TARGET -> Optional.of(target.id());
        case CONSUMER -> consumer.map(Consumer::name);
        case GROUP -> consumer.map(Consumer::group);
        case HEADER -> exchange.request().header(part.name());
        case METADATA -> metadata(part.name());
      };
    }

    private Optional<String> metadata(String field) {
      JsonNode body = exchange.isEmbeddings() ? exchange.embeddingsRequest().body() : exchange.chatRequest().body();
      JsonNode value = body.path("metadata").get(field);
      if (value == null || value.isNull() || value.isMissingNode()) {
        return Optional.empty();
      }
      return Optional.of(value.isTextual() ? value.asText() : value.toString());
    }
  }
}
