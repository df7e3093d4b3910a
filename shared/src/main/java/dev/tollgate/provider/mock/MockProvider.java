package dev.tollgate.provider.mock;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingProvider;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.api.CompletionChunker;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.TokenEstimate;
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
 * real upstream would. It also embeds: {@link HashEmbedding} vectors of {@link #DEFAULT_DIMENSIONS}
 * (or the requested {@code dimensions}, up to {@link #MAX_DIMENSIONS}), with usage estimated at
 * four characters a token.
 */
public final class MockProvider implements EmbeddingProvider {

  public static final int DEFAULT_DIMENSIONS = 64;
  public static final int MAX_DIMENSIONS = 4096;


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
    waitLatency(call.target().option(LATENCY_MS, "0"), call.timeout());
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

  @Override
  public Optional<ApiError> refuses(EmbeddingsRequest request) {
    if (request.dimensions().orElse(DEFAULT_DIMENSIONS) > MAX_DIMENSIONS) {
      return Optional.of(
          ApiError.invalidField(
              "dimensions",
              "Invalid value for 'dimensions': the mock model embeds in at most " + MAX_DIMENSIONS
                  + " dimensions, got " + request.dimensions().getAsInt() + "."));
    }
    return EmbeddingProvider.textOnly(request, TYPE);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingCall call) throws UpstreamFailure {
    waitLatency(call.target().option(LATENCY_MS, "0"), call.timeout());
    int dimensions = call.request().dimensions().orElse(DEFAULT_DIMENSIONS);
    List<String> texts = call.request().texts();
    return new EmbeddingResponse(
        texts.stream().map(text -> HashEmbedding.of(text, dimensions)).toList(),
        call.target().model(),
        texts.stream().mapToLong(TokenEstimate::of).sum());
  }

  /** Waits the target's latency; one longer than the timeout times out like a real upstream. */
  private static void waitLatency(String latencyMs, Duration timeout) throws UpstreamFailure {
    Duration latency = Duration.ofMillis(Long.parseLong(latencyMs));
    if (latency.compareTo(timeout) > 0) {
      sleep(timeout);
      throw UpstreamFailure.of(FailureKind.TIMED_OUT, "timed out after " + timeout.toMillis() + " ms");
    }
    sleep(latency);
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
