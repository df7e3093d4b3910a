package dev.tollgate.routing;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.pipeline.Attempt;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.CredentialResolver;
import dev.tollgate.provider.CredentialUnavailableException;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.StartedChunkStream;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end of the pipeline: calls the route's targets in {@link AttemptPlan} order until one
 * answers. A failure that another target might not have (network, timeout, 429, 5xx, bad answer,
 * credential trouble) moves on to the next target, within the attempt limit and the request's
 * time budget; a request the upstream rejects as invalid goes back to the client as it is.
 */
public final class FailoverPolicy implements Policy {

  private final ProviderRegistry providers;
  private final CredentialResolver credentials;
  private final WeightedSelector selector;
  private final Metrics metrics;

  public FailoverPolicy(
      ProviderRegistry providers, CredentialResolver credentials, WeightedSelector selector, Metrics metrics) {
    this.providers = providers;
    this.credentials = credentials;
    this.selector = selector;
    this.metrics = metrics;
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    Route route = exchange.route();
    int maxAttempts = exchange.config().maxAttempts(route);
    long deadline = exchange.startNanos() + exchange.config().settings().requestTimeout().toNanos();
    AttemptPlan plan = new AttemptPlan(route, selector);
    List<UpstreamErrors.Failed> failures = new ArrayList<>();
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
      if (!failures.isEmpty()) {
        metrics.increment(MetricNames.FALLBACKS);
      }
      Duration timeout = Duration.ofNanos(Math.min(target.timeout().toNanos(), remaining));
      long began = System.nanoTime();
      try {
        Reply reply = call(target, exchange, timeout);
        long elapsed = System.nanoTime() - began;
        exchange.recordAttempt(new Attempt(target.id(), true, "ok", elapsed / 1_000_000), elapsed);
        exchange.answeredBy(target.id());
        return reply;
      } catch (UpstreamFailure failure) {
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
    if (failures.isEmpty()) {
      return Reply.error(
          budgetExhausted
              ? new ApiError(504, "The request's time budget ran out.", ApiError.SERVER, null, "upstream_timeout", 0)
              : ApiError.noTargetAvailable(route.alias()));
    }
    return Reply.error(UpstreamErrors.exhausted(route.alias(), failures, budgetExhausted));
  }

  /**
   * One attempt. A stream counts as answered once its first chunk is in: until then a failure
   * moves on to the next target, after it the client already has bytes.
   */
  private Reply call(Target target, Exchange exchange, Duration timeout) throws UpstreamFailure {
    Provider provider =
        providers
            .provider(target.provider())
            .orElseThrow(() -> new IllegalStateException("validated config names unknown provider " + target.provider()));
    Optional<Secret> secret;
    try {
      secret = target.credential().map(credentials::resolve);
    } catch (CredentialUnavailableException e) {
      throw UpstreamFailure.of(FailureKind.NO_CREDENTIAL, e.getMessage());
    }
    ChatRequest request = exchange.chatRequest();
    UpstreamCall call = new UpstreamCall(target, request, secret, timeout, exchange.requestId());
    if (request.stream()) {
      ChunkStream stream = StartedChunkStream.await(provider.stream(call), timeout, target.timeout());
      return new Reply.Stream(stream, request.includeUsage());
    }
    UpstreamResponse response = provider.complete(call);
    exchange.usage(response.usage());
    return new Reply.Completion(response.completion(), false, request.includeUsage());
  }

  private static String outcome(UpstreamFailure failure) {
    String detail = failure.detail();
    return detail == null || detail.isBlank() || detail.equals(failure.kind().label())
        ? failure.kind().label()
        : failure.kind().label() + " (" + detail + ")";
  }
}
