package dev.tollgate.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * Bridges the SDK's push-style {@code ConverseStream} (a response handler and an event
 * publisher called on the SDK's threads) to the pull-based {@link ChunkStream}: events wait in
 * a queue that is bounded by demand (the subscription is asked for {@value #DEMAND} events up
 * front and for one more per event taken), and are translated on the caller's thread.
 */
final class BedrockChunkStream implements ChunkStream {

  /** Events requested ahead of the reader: enough to keep the connection busy, few enough to hold back a fast model. */
  static final int DEMAND = 16;

  private sealed interface Signal {}

  private record Event(ConverseStreamOutput output) implements Signal {}

  private record Completed() implements Signal {}

  private record Failed(Throwable cause) implements Signal {}

  private record Cancelled() implements Signal {}

  private final String targetId;
  private final String model;
  private final String requestId;
  private final Instant now;
  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final CompletableFuture<ConverseStreamResponse> accepted = new CompletableFuture<>();
  private final AtomicReference<Subscription> subscription = new AtomicReference<>();
  private final Deque<ObjectNode> pending = new ArrayDeque<>();
  private volatile CompletableFuture<Void> call;
  private volatile boolean closed;
  private volatile BedrockStreamToOpenAi translator;
  private boolean ended;

  private BedrockChunkStream(String targetId, String model, String requestId, Instant now) {
    this.targetId = targetId;
    this.model = model;
    this.requestId = requestId;
    this.now = now;
  }

  /**
   * Starts the call and returns once Bedrock accepted it (its response headers are in), within
   * {@code timeout}; a refusal (throttled, invalid, denied) fails here, classified.
   *
   * @param start sends the request with the given handler and returns the SDK's call future
   */
  static BedrockChunkStream open(
      String targetId,
      String model,
      String requestId,
      Instant now,
      Duration timeout,
      Function<ConverseStreamResponseHandler, CompletableFuture<Void>> start)
      throws UpstreamFailure {
    BedrockChunkStream stream = new BedrockChunkStream(targetId, model, requestId, now);
    CompletableFuture<Void> call;
    try {
      call = start.apply(stream.new Handler());
    } catch (SdkException e) {
      throw BedrockErrors.classify(targetId, e);
    }
    stream.call = call;
    // failures the handler was not told about (the SDK reports most through both)
    call.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            stream.accepted.completeExceptionally(failure);
            stream.signals.add(new Failed(failure));
          }
        });
    stream.awaitAccepted(timeout);
    return stream;
  }

  private void awaitAccepted(Duration timeout) throws UpstreamFailure {
    ConverseStreamResponse response;
    try {
      response = accepted.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw UpstreamFailure.of(FailureKind.TIMED_OUT, "no response within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      UpstreamFailure failure = classify(e.getCause());
      close();
      throw failure;
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw cancelled();
    }
    String bedrockId = response.responseMetadata().requestId();
    String id = bedrockId == null || bedrockId.isBlank() || "UNKNOWN".equals(bedrockId) ? requestId : bedrockId;
    translator = new BedrockStreamToOpenAi(id, model, now);
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    while (pending.isEmpty()) {
      if (ended) {
        return Optional.empty();
      }
      if (translator.finished()) {
        // metadata is Bedrock's last event; whatever follows is the stream's end
        ended = true;
        close();
        return Optional.empty();
      }
      if (closed) {
        throw cancelled();
      }
      switch (take()) {
        case Event event -> {
          pending.addAll(translator.onEvent(event.output()));
          Subscription s = subscription.get();
          if (s != null) {
            s.request(1);
          }
        }
        case Completed completed -> {
          if (!translator.stopped()) {
            close();
            throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the stream ended before the answer was complete");
          }
          ended = true;
          return Optional.empty();
        }
        case Failed failed -> {
          UpstreamFailure failure = classify(failed.cause());
          close();
          throw failure;
        }
        case Cancelled cancelled -> throw cancelled();
      }
    }
    return Optional.of(pending.removeFirst());
  }

  private Signal take() throws UpstreamFailure {
    try {
      return signals.take();
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw cancelled();
    }
  }

  @Override
  public Usage usage() {
    return translator == null ? Usage.NONE : translator.usage();
  }

  /** Cancels the subscription and the call, and wakes a reader blocked in {@link #next()}. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Subscription s = subscription.getAndSet(CANCELLED);
    if (s != null) {
      s.cancel();
    }
    CompletableFuture<Void> running = call;
    if (running != null) {
      running.cancel(true);
    }
    signals.add(new Cancelled());
  }

  /** What a failure means; once closed by a caller, any failure is the cancellation's echo. */
  private UpstreamFailure classify(Throwable failure) {
    if (closed) {
      return cancelled();
    }
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return switch (cause) {
      case SdkException sdk -> BedrockErrors.classify(targetId, sdk);
      case CancellationException c -> cancelled();
      default -> UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the stream broke (" + cause.getClass().getSimpleName() + ")");
    };
  }

  private static UpstreamFailure cancelled() {
    return UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the stream was cancelled");
  }

  /** Stands in for a subscription once closed, so one that arrives later is cancelled at once. */
  private static final Subscription CANCELLED =
      new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  /** Called by the SDK on its own threads. */
  private final class Handler implements ConverseStreamResponseHandler, Subscriber<ConverseStreamOutput> {

    @Override
    public void responseReceived(ConverseStreamResponse response) {
      accepted.complete(response);
    }

    @Override
    public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
      publisher.subscribe(this);
    }

    @Override
    public void exceptionOccurred(Throwable failure) {
      accepted.completeExceptionally(failure);
      signals.add(new Failed(failure));
    }

    @Override
    public void complete() {
      // the subscriber's onComplete already said so
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (!subscription.compareAndSet(null, s)) {
        s.cancel();
        return;
      }
      s.request(DEMAND);
    }

    @Override
    public void onNext(ConverseStreamOutput event) {
      signals.add(new Event(event));
    }

    @Override
    public void onError(Throwable failure) {
      signals.add(new Failed(failure));
    }

    @Override
    public void onComplete() {
      signals.add(new Completed());
    }
  }
}
