package dev.tollgate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartedChunkStreamTest {

  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Duration SHORT = Duration.ofMillis(50);

  /** An in-memory stream fed by the test; closing it fails a blocked read, as a cancelled HTTP read does. */
  private static final class FedStream implements ChunkStream {
    private static final ObjectNode END = Json.object();
    private static final ObjectNode CLOSED = Json.object();
    final LinkedBlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
    volatile boolean closed;

    void feed(String content) {
      ObjectNode chunk = Json.object();
      chunk.putObject("delta").put("content", content);
      queue.add(chunk);
    }

    @Override
    public Optional<ObjectNode> next() throws UpstreamFailure {
      try {
        ObjectNode chunk = queue.take();
        if (chunk == CLOSED) {
          throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the stream was cancelled");
        }
        return chunk == END ? Optional.empty() : Optional.of(chunk);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Usage usage() {
      return new Usage(1, 2, 3);
    }

    @Override
    public void close() {
      closed = true;
      queue.add(CLOSED);
    }
  }

  @Test
  void passesEveryChunkInOrderAndTheUsage() throws Exception {
    FedStream upstream = new FedStream();
    upstream.feed("a");
    upstream.feed("b");
    upstream.queue.add(FedStream.END);
    try (StartedChunkStream stream = StartedChunkStream.await(upstream, LONG, LONG)) {
      assertEquals("a", stream.next().orElseThrow().path("delta").path("content").asText());
      assertEquals("b", stream.next().orElseThrow().path("delta").path("content").asText());
      assertTrue(stream.next().isEmpty());
      assertEquals(3, stream.usage().totalTokens());
    }
    assertTrue(upstream.closed);
  }

  @Test
  void anUpstreamThatNeverSpeaksTimesOutAndIsCancelled() {
    FedStream upstream = new FedStream();
    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> StartedChunkStream.await(upstream, SHORT, LONG));
    assertEquals(FailureKind.TIMED_OUT, failure.kind());
    assertTrue(upstream.closed);
  }

  @Test
  void aStreamWithoutAnyChunkIsAMalformedAnswer() {
    FedStream upstream = new FedStream();
    upstream.queue.add(FedStream.END);
    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> StartedChunkStream.await(upstream, LONG, LONG));
    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
    assertTrue(upstream.closed);
  }

  @Test
  void aFailureBeforeTheFirstChunkKeepsItsKindSoFailoverCanAct() {
    FedStream upstream = new FedStream();
    upstream.close();
    upstream.closed = false;
    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> StartedChunkStream.await(upstream, LONG, LONG));
    assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
    assertTrue(upstream.closed);
  }

  @Test
  void anUpstreamThatFallsSilentMidAnswerIsCut() throws Exception {
    FedStream upstream = new FedStream();
    upstream.feed("a");
    try (StartedChunkStream stream = StartedChunkStream.await(upstream, LONG, SHORT)) {
      assertTrue(stream.next().isPresent());
      UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);
      assertEquals(FailureKind.TIMED_OUT, failure.kind());
      assertTrue(upstream.closed);
    }
  }

  @Test
  void slowButSteadyChunksAreNotCut() throws Exception {
    FedStream upstream = new FedStream();
    upstream.feed("first");
    Thread feeder =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    try {
                      TimeUnit.MILLISECONDS.sleep(20);
                    } catch (InterruptedException e) {
                      return;
                    }
                    upstream.feed("x");
                  }
                  upstream.queue.add(FedStream.END);
                });
    int count = 0;
    try (StartedChunkStream stream = StartedChunkStream.await(upstream, LONG, Duration.ofSeconds(5))) {
      while (stream.next().isPresent()) {
        count++;
      }
    }
    feeder.join();
    assertEquals(6, count);
  }
}
