package dev.tollgate.provider.mock;

import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.ProviderSpec.OptionRule;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model that needs no network: it echoes the last user message after {@code latencyMs}. For
 * local use, demos and priming; a latency longer than the attempt's timeout times out like a
 * real upstream would.
 */
public final class MockProvider implements Provider {

  public static final String TYPE = "mock";
  public static final String LATENCY_MS = "latencyMs";
  public static final ProviderSpec SPEC =
      new ProviderSpec(
          TYPE, null, false, "mock-echo", false, Map.of(LATENCY_MS, OptionRule.integer(0, 600_000)));

  private final InstantSource clock;
  private final AtomicLong sequence = new AtomicLong();

  public MockProvider(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public ProviderSpec spec() {
    return SPEC;
  }

  @Override
  public UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure {
    Duration latency = Duration.ofMillis(Long.parseLong(call.target().option(LATENCY_MS, "0")));
    if (latency.compareTo(call.timeout()) > 0) {
      sleep(call.timeout());
      throw UpstreamFailure.of(FailureKind.TIMED_OUT, "timed out after " + call.timeout().toMillis() + " ms");
    }
    sleep(latency);
    String id = "chatcmpl-mock-" + sequence.incrementAndGet();
    ObjectNode completion =
        EchoCompletion.of(call.request(), call.target().model(), id, clock.instant().getEpochSecond());
    return new UpstreamResponse(completion, Usage.fromOpenAi(completion.get("usage")));
  }

  private static void sleep(Duration duration) throws UpstreamFailure {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "interrupted");
    }
  }
}
