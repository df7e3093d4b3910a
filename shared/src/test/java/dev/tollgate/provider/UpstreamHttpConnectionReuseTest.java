package dev.tollgate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.Json;
import dev.tollgate.provider.openai.OpenAiCompatibleProvider;
import dev.tollgate.provider.openai.OpenAiVendor;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.UpstreamCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sequential calls through one {@link UpstreamHttp} ride one kept-alive connection: each TCP
 * connection shows up at the server as its own client port, so distinct ports count connections.
 */
class UpstreamHttpConnectionReuseTest {

  private static final int CALLS = 6;
  private static final byte[] ANSWER = Json.bytes(FakeUpstream.completion("m", "pong", 3, 1));

  private static final byte[] STREAM =
      ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
              + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"pong\"},\"finish_reason\":\"stop\"}]}\n\n"
              + "data: [DONE]\n\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private HttpServer server;
  private final Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          connections.add(exchange.getRemoteAddress());
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(200, ANSWER.length);
          exchange.getResponseBody().write(ANSWER);
          exchange.close();
        });
    server.createContext(
        "/stream/chat/completions",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          connections.add(exchange.getRemoteAddress());
          exchange.getResponseHeaders().add("content-type", "text/event-stream");
          exchange.sendResponseHeaders(200, 0);
          var out = exchange.getResponseBody();
          out.write(STREAM);
          out.flush();
          try {
            Thread.sleep(30); // [DONE] is in; the end of the chunked body comes a moment later
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void call(UpstreamHttp http) throws UpstreamFailure {
    String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    Target target = UpstreamCalls.target("openai", "m", baseUrl, Map.of());
    new OpenAiCompatibleProvider(OpenAiVendor.ALL.getFirst(), http)
        .complete(UpstreamCalls.call(target, GatewayHarness.chatJson("chat"), Optional.of(new Secret("k-123456"))));
  }

  @Test
  void sequentialCallsThroughOneClientReuseOneConnection() throws UpstreamFailure {
    UpstreamHttp http = new UpstreamHttp();
    for (int i = 0; i < CALLS; i++) {
      call(http);
    }

    assertEquals(1, connections.size(), "connections opened for " + CALLS + " calls");
  }

  @Test
  void sequentialStreamsReuseOneConnectionToo() throws UpstreamFailure {
    UpstreamHttp http = new UpstreamHttp();
    String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/stream";
    Target target = UpstreamCalls.target("openai", "m", baseUrl, Map.of());
    var provider = new OpenAiCompatibleProvider(OpenAiVendor.ALL.getFirst(), http);
    for (int i = 0; i < CALLS; i++) {
      try (ChunkStream stream =
          provider.stream(UpstreamCalls.call(target, GatewayHarness.chatJson("chat"), Optional.of(new Secret("k-123456"))))) {
        while (stream.next().isPresent()) {
          // read to the end, as the gateway does
        }
      }
      try {
        Thread.sleep(200); // the end of the body comes 30 ms after [DONE]; calls are not back to back
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    assertEquals(1, connections.size(), "connections opened for " + CALLS + " streams");
  }

  /** The control: the count does see new connections when nothing is shared. */
  @Test
  void separateClientsEachOpenTheirOwnConnection() throws UpstreamFailure {
    for (int i = 0; i < CALLS; i++) {
      call(new UpstreamHttp());
    }

    assertEquals(CALLS, connections.size());
  }
}
