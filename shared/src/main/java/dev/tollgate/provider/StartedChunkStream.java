package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * A stream whose first chunk has already arrived. Until then another target may still take over,
 * so {@link #await} bounds the wait for that chunk by the attempt's timeout and turns an upstream
 * that accepts the call but never speaks into a timeout. Afterwards every wait for a chunk is
 * bounded by the idle limit: an upstream that falls silent mid-answer is cut, not waited on for
 * the rest of the function's life.
 */
public final class StartedChunkStream implements ChunkStream {

  private final ChunkStream upstream;
  private final StreamWatchdog watchdog;
  private final Duration idleLimit;
  private ObjectNode first;

  private StartedChunkStream(ChunkStream upstream, StreamWatchdog watchdog, Duration idleLimit, ObjectNode first) {
    this.upstream = upstream;
    this.watchdog = watchdog;
    this.idleLimit = idleLimit;
    this.first = first;
  }

  /**
   * Reads the first chunk within {@code firstChunkLimit}; on failure the upstream stream is
   * closed. Later chunks must each come within {@code idleLimit}.
   */
  public static StartedChunkStream await(ChunkStream upstream, Duration firstChunkLimit, Duration idleLimit)
      throws UpstreamFailure {
    StreamWatchdog watchdog = new StreamWatchdog(upstream);
    try {
      Optional<ObjectNode> first = watchdog.next(firstChunkLimit);
      if (first.isEmpty()) {
        throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "the stream ended before its first chunk");
      }
      return new StartedChunkStream(upstream, watchdog, idleLimit, first.get());
    } catch (UpstreamFailure | RuntimeException e) {
      watchdog.close();
      upstream.close();
      throw e;
    }
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    if (first != null) {
      ObjectNode chunk = first;
      first = null;
      return Optional.of(chunk);
    }
    return watchdog.next(idleLimit);
  }

  @Override
  public Usage usage() {
    return upstream.usage();
  }

  @Override
  public void close() {
    watchdog.close();
    upstream.close();
  }
}
