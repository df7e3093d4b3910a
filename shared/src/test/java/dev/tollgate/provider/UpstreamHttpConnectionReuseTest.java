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

  /** The control: the count does see new connections when nothing is shared. */
  @Test
  void separateClientsEachOpenTheirOwnConnection() throws UpstreamFailure {
    for (int i = 0; i < CALLS; i++) {
      call(new UpstreamHttp());
    }

    assertEquals(CALLS, connections.size());
  }
}
