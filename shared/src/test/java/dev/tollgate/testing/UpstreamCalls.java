package dev.tollgate.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.EmbeddingsRequestValidator;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.CredentialRef;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.routing.Target;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Targets and calls for driving a provider directly, without config or gateway. */
public final class UpstreamCalls {

  private UpstreamCalls() {}

  /** A target with a generous timeout, for calls expected to get an answer in time. */
  public static Target target(String provider, String model, String baseUrl, Map<String, String> options) {
    return target(provider, model, baseUrl, options, UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);
  }

  public static Target target(
      String provider, String model, String baseUrl, Map<String, String> options, int timeoutMs) {
    return new Target(
        "t-" + provider,
        "chat",
        provider,
        model,
        baseUrl,
        Optional.of(CredentialRef.parse("env:UPSTREAM_KEY").orElseThrow()),
        1,
        1,
        Duration.ofMillis(timeoutMs),
        true,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        options);
  }

  public static UpstreamCall call(Target target, ObjectNode body, Optional<Secret> credential) {
    return new UpstreamCall(target, new ChatRequest(body), credential, target.timeout(), "req-wire-1");
  }

  /** An embeddings call for {@code body}, validated as the gateway validates it. */
  public static EmbeddingCall embedCall(Target target, ObjectNode body, Optional<Secret> credential) {
    return new EmbeddingCall(
        target, EmbeddingsRequestValidator.validate(body), credential, target.timeout(), "req-wire-1");
  }
}
