package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream whose first chunk has already arrived. Until then another target may still take over,
 * so {@link #await} bounds the wait for that chunk by the attempt's timeout and turns an upstream
 * that accepts the call but never speaks into a timeout.
 */
public final class StartedChunkStream implements ChunkStream {

  private final ChunkStream upstream;
  private ObjectNode first;

  private StartedChunkStream(ChunkStream upstream, ObjectNode first) {
    this.upstream = upstream;
    this.first = first;
  }

  /** Reads the first chunk within {@code timeout}; on failure the upstream stream is closed. */
  public static StartedChunkStream await(ChunkStream upstream, Duration timeout) throws UpstreamFailure {
    AtomicBoolean timedOut = new AtomicBoolean();
    Thread watchdog =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(timeout);
                    timedOut.set(true);
                    upstream.close();
                  } catch (InterruptedException e) {
                    // the first chunk came in time
                  }
                });
    Optional<ObjectNode> first;
    try {
      first = upstream.next();
    } catch (UpstreamFailure | RuntimeException e) {
      first = null;
      stop(watchdog);
      upstream.close();
      if (!timedOut.get()) {
        throw e;
      }
    }
    stop(watchdog);
    if (timedOut.get()) {
      // also when the chunk arrived just as the watchdog fired: the stream is closed by now
      upstream.close();
      throw UpstreamFailure.of(FailureKind.TIMED_OUT, "no first chunk within " + timeout.toMillis() + " ms");
    }
    if (first.isEmpty()) {
      upstream.close();
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "the stream ended before its first chunk");
    }
    return new StartedChunkStream(upstream, first.get());
  }

  private static void stop(Thread watchdog) {
    watchdog.interrupt();
    boolean interrupted = false;
    while (true) {
      try {
        watchdog.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    if (first != null) {
      ObjectNode chunk = first;
      first = null;
      return Optional.of(chunk);
    }
    return upstream.next();
  }

  @Override
  public Usage usage() {
    return upstream.usage();
  }

  @Override
  public void close() {
    upstream.close();
  }
}
