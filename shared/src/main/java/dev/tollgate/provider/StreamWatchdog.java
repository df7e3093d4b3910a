package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * Bounds each wait for a stream's next chunk: when one takes longer than its limit, the watchdog
 * closes the stream (which cancels the upstream call and unblocks the reader) and the wait fails
 * as a timeout. One virtual thread per stream, parked while nothing is awaited.
 */
final class StreamWatchdog implements AutoCloseable {

  private final ChunkStream stream;
  private final Thread thread;
  private long deadline; // System.nanoTime() by which the current wait must end; 0 when idle
  private boolean fired;
  private boolean stopped;

  StreamWatchdog(ChunkStream stream) {
    this.stream = stream;
    this.thread = Thread.ofVirtual().name("stream-watchdog").start(this::watch);
  }

  /** {@code stream.next()}, failing as a timeout if it takes longer than {@code limit}. */
  Optional<ObjectNode> next(Duration limit) throws UpstreamFailure {
    synchronized (this) {
      if (fired) {
        throw timedOut(limit);
      }
      deadline = System.nanoTime() + limit.toNanos();
      notifyAll();
    }
    try {
      Optional<ObjectNode> chunk = stream.next();
      synchronized (this) {
        deadline = 0;
        if (fired) {
          throw timedOut(limit); // it arrived just as the stream was closed under it
        }
      }
      return chunk;
    } catch (UpstreamFailure | RuntimeException e) {
      synchronized (this) {
        deadline = 0;
        if (fired) {
          throw timedOut(limit);
        }
      }
      throw e;
    }
  }

  private static UpstreamFailure timedOut(Duration limit) {
    return UpstreamFailure.of(FailureKind.TIMED_OUT, "no chunk within " + limit.toMillis() + " ms");
  }

  private void watch() {
    synchronized (this) {
      try {
        while (!stopped && !fired) {
          if (deadline == 0) {
            wait();
            continue;
          }
          long left = deadline - System.nanoTime();
          if (left > 0) {
            wait(left / 1_000_000, (int) (left % 1_000_000));
            continue;
          }
          fired = true;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
    if (fired) {
      stream.close();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
  }
}
