package dev.tollgate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streaming plumbing on a real loopback connection whose timing the test controls: an
 * upstream that accepts but never speaks times out, a started stream may outlast the attempt's
 * timeout, and closing from another thread ends a blocked read.
 */
@Timeout(20)
class SseChunkStreamWireTest {

  /** Every data line is one content piece; {@code [DONE]} ends the answer. */
  private static final class PiecesTranslator implements StreamTranslator {
    private boolean done;

    @Override
    public List<ObjectNode> onEvent(SseEvent event) {
      if (event.data().equals("[DONE]")) {
        done = true;
        return List.of();
      }
      return List.of(Json.object().put("content", event.data()));
    }

    @Override
    public boolean finished() {
      return done;
    }

    @Override
    public Usage usage() {
      return Usage.NONE;
    }
  }

  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  /** Answers 200 and then sends {@code script}'s frames, pausing at each {@code null} (until the test ends). */
  private URI serve(List<String> script, long pauseMs) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("content-type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (String step : script) {
              if (step == null) {
                pause(pauseMs);
              } else {
                out.write(step.getBytes(StandardCharsets.UTF_8));
                out.flush();
              }
            }
          } catch (IOException clientLeft) {
            // the stream under test was closed
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stream");
  }

  private void pause(long ms) {
    try {
      release.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private static SseChunkStream open(URI uri, Duration timeout) throws UpstreamFailure {
    UpstreamHttp.StreamResponse response = new UpstreamHttp().openStream(uri, Map.of(), new byte[0], timeout);
    return new SseChunkStream(response, new PiecesTranslator());
  }

  private static List<String> drain(ChunkStream stream) throws UpstreamFailure {
    List<String> pieces = new ArrayList<>();
    for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
      pieces.add(chunk.get().path("content").asText());
    }
    return pieces;
  }

  @Test
  void anUpstreamThatAcceptsButNeverSpeaksTimesOutWaitingForTheFirstChunk() throws Exception {
    URI uri = serve(java.util.Arrays.asList(": accepted\n\n", null), 15_000);

    UpstreamFailure failure =
        assertThrows(
            UpstreamFailure.class, () -> StartedChunkStream.await(open(uri, Duration.ofSeconds(10)), Duration.ofMillis(300), Duration.ofSeconds(10)));

    assertEquals(FailureKind.TIMED_OUT, failure.kind());
  }

  @Test
  void aStartedStreamMayOutlastTheAttemptsTimeout() throws Exception {
    // The pause is twice the call's timeout: were that timeout still running, it would end the body.
    URI uri = serve(java.util.Arrays.asList("data: one\n\n", null, "data: two\n\n", "data: [DONE]\n\n"), 2_000);

    try (ChunkStream stream = StartedChunkStream.await(open(uri, Duration.ofMillis(1_000)), Duration.ofSeconds(10), Duration.ofSeconds(10))) {
      assertEquals(List.of("one", "two"), drain(stream));
    }
  }

  @Test
  void aConnectionBrokenMidStreamIsReportedAsBrokenNotAsCancelled() throws Exception {
    CountDownLatch firstRead = new CountDownLatch(1);
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        try (Socket socket = listener.accept()) {
          socket.getInputStream().read(new byte[8192]);
          String chunk = "data: one\n\n";
          String head =
              "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                  + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n";
          socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
          socket.getOutputStream().flush();
          // Reset only once the client has the first event: a reset drops data not yet read.
          firstRead.await(10, TimeUnit.SECONDS);
          socket.setSoLinger(true, 0); // a reset, without the last chunk
        } catch (IOException | InterruptedException ignored) {
          // the test sees the outcome
        }
      });
      ChunkStream stream = open(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"), Duration.ofSeconds(10));
      assertEquals("one", stream.next().orElseThrow().path("content").asText());
      firstRead.countDown();

      UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);

      assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
      assertEquals("the connection broke mid-stream", failure.detail());
    }
  }

  @Test
  void closingFromAnotherThreadEndsABlockedRead() throws Exception {
    URI uri = serve(java.util.Arrays.asList("data: one\n\n", null), 15_000);
    ChunkStream stream = open(uri, Duration.ofSeconds(10));
    assertEquals("one", stream.next().orElseThrow().path("content").asText());
    Thread.ofVirtual().start(() -> {
      pause(200);
      stream.close();
    });

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);

    assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
    assertEquals("the stream was cancelled", failure.detail());
  }
}
