package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepAliveSinkTest {

  /** Collects what was written and lets a test wait for a given text to appear. */
  private static final class Recording extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      notifyAll();
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized void awaitContaining(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!text().contains(text)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("never wrote " + text + "; wrote: " + text());
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Test
  void silenceIsFilledWithPingCommentsBetweenWholeFrames() throws Exception {
    Recording out = new Recording();
    KeepAliveSink sink = new KeepAliveSink(out, Duration.ofMillis(30));
    sink.send("data: {\"a\":1}\n\n".getBytes(StandardCharsets.UTF_8));
    out.awaitContaining(": ping\n\n");
    sink.send("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    sink.stop();
    String written = out.text();
    assertTrue(written.startsWith("data: {\"a\":1}\n\n: ping\n\n"), written);
    assertTrue(written.endsWith("data: [DONE]\n\n"), written);
    // every frame is whole: stripping pings leaves exactly the two events
    assertEquals("data: {\"a\":1}\n\ndata: [DONE]\n\n", written.replace(": ping\n\n", ""));
  }

  @Test
  void noPingWhileFramesKeepComing() throws Exception {
    Recording out = new Recording();
    KeepAliveSink sink = new KeepAliveSink(out, Duration.ofSeconds(30));
    for (int i = 0; i < 20; i++) {
      sink.send(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
    sink.stop();
    assertTrue(!out.text().contains("ping"), out.text());
  }

  @Test
  void aClientFoundGoneByAPingCancelsTheStream() throws Exception {
    OutputStream gone =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("broken pipe");
          }
        };
    KeepAliveSink sink = new KeepAliveSink(gone, Duration.ofMillis(20));
    CountDownLatch cancelled = new CountDownLatch(1);
    sink.whenClientGone(cancelled::countDown);
    assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the stream was not cancelled");
    sink.stop();
  }

  @Test
  void nothingIsWrittenAfterStop() {
    KeepAliveSink sink = new KeepAliveSink(new Recording(), Duration.ofSeconds(30));
    sink.stop();
    assertThrows(IOException.class, () -> sink.send("data: late\n\n".getBytes(StandardCharsets.UTF_8)));
  }
}
