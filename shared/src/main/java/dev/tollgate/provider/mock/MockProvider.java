package dev.tollgate.provider.mock;

import dev.tollgate.api.CompletionChunker;
import dev.tollgate.provider.ChunkStream;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A model that needs no network: it echoes the last user message after {@code latencyMs}, streamed
 * one word per chunk {@code chunkIntervalMs} apart when asked. For
 * local use, demos and priming; a latency longer than the attempt's timeout times out like a
 * real upstream would.
 */
public final class MockProvider implements Provider {

  public static final String TYPE = "mock";
  public static final String LATENCY_MS = "latencyMs";
  public static final String CHUNK_INTERVAL_MS = "chunkIntervalMs";
  public static final ProviderSpec SPEC =
      new ProviderSpec(
          TYPE,
          null,
          false,
          "mock-echo",
          false,
          Map.of(LATENCY_MS, OptionRule.integer(0, 600_000), CHUNK_INTERVAL_MS, OptionRule.integer(0, 10_000)));

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

  /** Streams the echo one word per chunk, {@code chunkIntervalMs} apart, like a model typing. */
  @Override
  public ChunkStream stream(UpstreamCall call) throws UpstreamFailure {
    UpstreamResponse response = complete(call);
    List<ObjectNode> chunks = CompletionChunker.wordByWord(CompletionChunker.chunks(response.completion(), false));
    Duration interval = Duration.ofMillis(Long.parseLong(call.target().option(CHUNK_INTERVAL_MS, "0")));
    return new ChunkStream() {
      private int next;
      private volatile boolean closed;

      @Override
      public Optional<ObjectNode> next() throws UpstreamFailure {
        if (closed) {
          throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the stream was cancelled");
        }
        if (next >= chunks.size()) {
          return Optional.empty();
        }
        if (next > 0) {
          sleep(interval);
        }
        return Optional.of(chunks.get(next++));
      }

      @Override
      public Usage usage() {
        return response.usage();
      }

      @Override
      public void close() {
        closed = true;
      }
    };
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
