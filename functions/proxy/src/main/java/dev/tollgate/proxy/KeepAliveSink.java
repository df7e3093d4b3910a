package dev.tollgate.proxy;

import dev.tollgate.pipeline.SseSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes SSE frames to a client, flushing each, and sends a {@code : ping} comment whenever
 * nothing was written for the interval, so proxies and API Gateway's idle limit do not cut a
 * stream while the upstream thinks. Writes from the pinger and the stream never interleave.
 */
final class KeepAliveSink implements SseSink {

  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final long intervalNanos;
  private final Thread pinger;
  private long lastWrite = System.nanoTime();
  private boolean stopped;
  private Runnable whenGone = () -> {};

  KeepAliveSink(OutputStream out, Duration interval) {
    this.out = out;
    this.intervalNanos = interval.toNanos();
    this.pinger = Thread.ofVirtual().name("sse-ping").start(this::pingWhileIdle);
  }

  @Override
  public void send(byte[] frame) throws IOException {
    synchronized (this) {
      write(frame);
    }
  }

  @Override
  public synchronized void whenClientGone(Runnable cancel) {
    whenGone = cancel;
  }

  /** Ends the pinging; the stream is over. */
  void stop() {
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
  }

  private void write(byte[] frame) throws IOException {
    if (stopped) {
      throw new IOException("the stream is closed");
    }
    lastWrite = System.nanoTime();
    out.write(frame);
    out.flush();
  }

  private synchronized void pingWhileIdle() {
    try {
      while (!stopped) {
        long idle = System.nanoTime() - lastWrite;
        if (idle >= intervalNanos) {
          write(PING);
        } else {
          long waitNanos = intervalNanos - idle;
          wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
      }
    } catch (IOException e) {
      Thread.ofVirtual().start(whenGone); // not under this lock: cancelling may take a moment
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
