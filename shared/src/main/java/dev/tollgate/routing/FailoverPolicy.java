package dev.tollgate.routing;

import dev.tollgate.api.ApiError;
import dev.tollgate.pipeline.Attempt;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.provider.CredentialResolver;
import dev.tollgate.provider.CredentialUnavailableException;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end of the pipeline: calls the route's targets in {@link AttemptPlan} order until one
 * answers. A failure that another target might not have (network, timeout, 429, 5xx, bad answer,
 * credential trouble) moves on to the next target, within the attempt limit and the request's
 * time budget; a request the upstream rejects as invalid goes back to the client as it is. Before
 * each attempt the exchange's {@link TargetAdmission} may skip a target (its own limit is spent) or
 * refuse the request; a failed attempt gives back what it held. A target whose
 * {@link CircuitBreakers circuit breaker} is open, or that asked to be left alone with
 * {@code Retry-After}, is skipped (a {@code breaker} verdict); when that leaves nothing to try, the
 * answer is 503 {@code no_target_available} with the time until the first one is back. What
 * one attempt calls (a chat completion, whole or streamed; embeddings) is its {@link AttemptCall}.
 */
public final class FailoverPolicy implements Policy {

  private final ProviderRegistry providers;
  private final CredentialResolver credentials;
  private final WeightedSelector selector;
  private final Metrics metrics;
  private final AttemptCall attemptCall;
  private final CircuitBreakers breakers;
  private final SharedTargetStats stats;

  /** Failover for chat completions. */
  public FailoverPolicy(
      ProviderRegistry providers,
      CredentialResolver credentials,
      WeightedSelector selector,
      Metrics metrics,
      CircuitBreakers breakers) {
    this(providers, credentials, selector, metrics, new ChatAttempt(), breakers);
  }

  /** Failover whose attempts make {@code attempt}'s kind of call. */
  public FailoverPolicy(
      ProviderRegistry providers,
      CredentialResolver credentials,
      WeightedSelector selector,
      Metrics metrics,
      AttemptCall attempt,
      CircuitBreakers breakers) {
    this(providers, credentials, selector, metrics, attempt, breakers,
        new SharedTargetStats(TargetStatsStore.NONE, java.time.InstantSource.system(), SharedTargetStats.DEFAULT_INTERVAL,
            Runnable::run, metrics));
  }

  /** Failover whose attempts feed {@code stats}, by which non-weighted routes pick and which pauses other instances share. */
  public FailoverPolicy(
      ProviderRegistry providers,
      CredentialResolver credentials,
      WeightedSelector selector,
      Metrics metrics,
      AttemptCall attempt,
      CircuitBreakers breakers,
      SharedTargetStats stats) {
    this.stats = stats;
    this.providers = providers;
    this.credentials = credentials;
    this.selector = selector;
    this.metrics = metrics;
    this.attemptCall = attempt;
    this.breakers = breakers;
  }

  /** Failover for embeddings requests. */
  public static FailoverPolicy embeddings(
      ProviderRegistry providers,
      CredentialResolver credentials,
      WeightedSelector selector,
      Metrics metrics,
      CircuitBreakers breakers) {
    return new FailoverPolicy(providers, credentials, selector, metrics, new EmbeddingAttempt(), breakers);
  }

  /** Failover for embeddings requests, feeding {@code stats}. */
  public static FailoverPolicy embeddings(
      ProviderRegistry providers,
      CredentialResolver credentials,
      WeightedSelector selector,
      Metrics metrics,
      CircuitBreakers breakers,
      SharedTargetStats stats) {
    return new FailoverPolicy(providers, credentials, selector, metrics, new EmbeddingAttempt(), breakers, stats);
  }

  /** Failover for chat completions, feeding {@code stats}. */
  public static FailoverPolicy chat(
      ProviderRegistry providers,
      CredentialResolver credentials,
      WeightedSelector selector,
      Metrics metrics,
      CircuitBreakers breakers,
      SharedTargetStats stats) {
    return new FailoverPolicy(providers, credentials, selector, metrics, new ChatAttempt(), breakers, stats);
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    Route route = exchange.route();
    Optional<ApiError> refused = refusal(route, exchange);
    if (refused.isPresent()) {
      return Reply.error(refused.get());
    }
    stats.syncIfDue(); // a due merge with the cluster starts (off this request in production) before the plan reads it
    int maxAttempts = exchange.config().maxAttempts(route);
    long deadline = exchange.startNanos() + exchange.config().settings().requestTimeout().toNanos();
    BreakerSettings breaker = exchange.config().settings().breaker();
    Instant[] pausedUntil = {null}; // the earliest moment a paused target is back
    TargetShares.Inputs inputs = route.strategy() == Strategy.WEIGHTED ? null : shareInputs(exchange);
    AttemptPlan plan =
        new AttemptPlan(
            route,
            selector,
            target -> blocked(target, breaker).map(block -> paused(exchange, target, block, pausedUntil)).isPresent(),
            candidates -> TargetShares.of(route.strategy(), route.probeShare(), candidates, inputs));
    TargetAdmission admission = exchange.admission();
    List<UpstreamErrors.Failed> failures = new ArrayList<>();
    ApiError skipped = null;
    boolean budgetExhausted = false;
    while (failures.size() < maxAttempts) {
      Optional<Target> next = plan.next();
      if (next.isEmpty()) {
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        budgetExhausted = true;
        break;
      }
      Target target = next.get();
      if (route.strategy() != Strategy.WEIGHTED) {
        exchange.verdict(new Verdict("strategy", route.alias() + "/" + target.id(), route.strategy().label(),
            String.format(java.util.Locale.ROOT, "share %.3f", plan.lastShare())));
      }
      if (!breakers.tryAcquire(breakerKey(target), breaker)) { // another request took the half-open probe meanwhile
        breakers.blocked(breakerKey(target), breaker).ifPresent(block -> paused(exchange, target, block, pausedUntil));
        continue;
      }
      switch (admission.admit(target)) {
        case TargetAdmission.Decision.Refuse refuse -> {
          breakers.released(breakerKey(target));
          return Reply.error(refuse.error());
        }
        case TargetAdmission.Decision.Skip skip -> {
          breakers.released(breakerKey(target));
          skipped = skip.error();
          continue;
        }
        case TargetAdmission.Decision.Admit admit -> {}
      }
      if (!failures.isEmpty()) {
        metrics.increment(MetricNames.FALLBACKS);
      }
      Duration timeout = Duration.ofNanos(Math.min(target.timeout().toNanos(), remaining));
      long began = System.nanoTime();
      try {
        Reply reply = call(target, exchange, timeout);
        long answered = System.nanoTime();
        long elapsed = answered - began;
        exchange.firstByte(began, answered, reply instanceof Reply.Stream);
        recordSuccess(target, exchange, began, answered, reply instanceof Reply.Stream);
        exchange.recordAttempt(new Attempt(target.id(), true, "ok", elapsed / 1_000_000), elapsed);
        exchange.answeredBy(target.id());
        breakers.succeeded(breakerKey(target), breaker);
        return reply;
      } catch (UpstreamFailure failure) {
        admission.attemptFailed(target);
        breakers
            .failed(breakerKey(target), failure.kind(), failure.retryAfterSeconds(), breaker)
            .ifPresent(reason -> exchange.verdict(new Verdict("breaker", target.id(), "open", reason)));
        recordFailure(target, failure, breaker);
        long elapsed = System.nanoTime() - began;
        Attempt attempt = new Attempt(target.id(), false, outcome(failure), elapsed / 1_000_000);
        exchange.recordAttempt(attempt, elapsed);
        metrics.increment(MetricNames.UPSTREAM_FAILURES);
        if (!failure.kind().triesNextTarget()) {
          exchange.answeredBy(target.id());
          return Reply.error(failure.clientError().orElseThrow());
        }
        failures.add(new UpstreamErrors.Failed(attempt, failure.kind(), failure.retryAfterSeconds()));
      }
    }
    if (failures.isEmpty() && skipped != null) {
      return Reply.error(skipped); // every target left was over its own limit
    }
    if (failures.isEmpty() && pausedUntil[0] != null) {
      return Reply.error(allPaused(route.alias(), pausedUntil[0]));
    }
    if (failures.isEmpty()) {
      return Reply.error(
          budgetExhausted
              ? new ApiError(504, "The request's time budget ran out.", ApiError.SERVER, null, "upstream_timeout", 0)
              : ApiError.noTargetAvailable(route.alias()));
    }
    return Reply.error(UpstreamErrors.exhausted(route.alias(), failures, budgetExhausted));
  }

  /** Locally open or cooling down, or paused by another instance (shared through the stats store). */
  private Optional<CircuitBreakers.Block> blocked(Target target, BreakerSettings settings) {
    Optional<CircuitBreakers.Block> local = breakers.blocked(breakerKey(target), settings);
    if (local.isPresent()) {
      return local;
    }
    return stats.sharedPause(breakerKey(target)).map(until -> new CircuitBreakers.Block("shared pause until " + until, until));
  }

  private TargetShares.Inputs shareInputs(Exchange exchange) {
    ExpectedCost cost = new ExpectedCost(exchange.config().prices(), exchange);
    boolean streamed = !exchange.isEmbeddings() && exchange.chatRequest().stream();
    return new TargetShares.Inputs(target -> stats.health(breakerKey(target)), cost::of, streamed);
  }

  /** A whole answer counts now; a stream's total time once it is over, with its time to first byte. */
  private void recordSuccess(Target target, Exchange exchange, long began, long answered, boolean streamed) {
    String key = breakerKey(target);
    if (streamed) {
      exchange.whenComplete(() -> stats.succeeded(key, System.nanoTime() - began, answered - began));
    } else {
      stats.succeeded(key, answered - began, -1);
    }
  }

  /** Counts the failure; a pause it caused (breaker open, Retry-After) is shared with other instances. */
  private void recordFailure(Target target, UpstreamFailure failure, BreakerSettings settings) {
    String key = breakerKey(target);
    stats.failed(key, failure.kind());
    if (CircuitBreakers.countsAgainstTarget(failure.kind())) {
      breakers.blocked(key, settings)
          .filter(block -> !block.detail().startsWith("half-open"))
          .ifPresent(block -> stats.paused(key, block.until()));
    }
  }

  /** Target ids need only be unique within their alias, so a breaker is kept per alias and id. */
  private static String breakerKey(Target target) {
    return TargetStats.key(target);
  }

  /** Records why {@code target} is passed over and keeps the earliest end of a pause; returns the block. */
  private CircuitBreakers.Block paused(Exchange exchange, Target target, CircuitBreakers.Block block, Instant[] earliest) {
    exchange.verdict(new Verdict("breaker", target.id(), "skip", block.detail()));
    metrics.increment(MetricNames.BREAKER_SKIPPED);
    if (earliest[0] == null || block.until().isBefore(earliest[0])) {
      earliest[0] = block.until();
    }
    return block;
  }

  /**
   * Every target left is paused: answering at once (with when to come back) spares an upstream that
   * is down or asked for a pause, which is what the breaker is for.
   */
  private ApiError allPaused(String alias, Instant until) {
    long seconds = Math.max(1, (Duration.between(breakers.now(), until).toMillis() + 999) / 1000);
    return new ApiError(
        503,
        "Every target of model '" + alias + "' is paused (circuit breaker open or upstream Retry-After); try again in "
            + seconds + " s.",
        ApiError.SERVER,
        null,
        "no_target_available",
        seconds);
  }

  /** Resolves the target's provider and credential, then hands the call to the attempt kind. */
  private Reply call(Target target, Exchange exchange, Duration timeout) throws UpstreamFailure {
    Provider provider = provider(target);
    Optional<Secret> secret;
    try {
      secret = target.credential().map(credentials::resolve);
    } catch (CredentialUnavailableException e) {
      throw UpstreamFailure.of(FailureKind.NO_CREDENTIAL, e.getMessage());
    }
    return attemptCall.call(provider, target, secret, timeout, exchange);
  }

  /** The first target (in route order) that cannot serve this kind of request, as a 400. */
  private Optional<ApiError> refusal(Route route, Exchange exchange) {
    for (Target target : route.targets()) {
      if (target.selectable()) {
        Optional<ApiError> refused = attemptCall.refuses(route, target, provider(target), exchange);
        if (refused.isPresent()) {
          return refused;
        }
      }
    }
    return Optional.empty();
  }

  private Provider provider(Target target) {
    return providers
        .provider(target.provider())
        .orElseThrow(() -> new IllegalStateException("validated config names unknown provider " + target.provider()));
  }

  private static String outcome(UpstreamFailure failure) {
    String detail = failure.detail();
    return detail == null || detail.isBlank() || detail.equals(failure.kind().label())
        ? failure.kind().label()
        : failure.kind().label() + " (" + detail + ")";
  }
}
