package dev.tollgate.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The gateway over plain HTTP, on the JDK's built-in server with a virtual thread per request.
 * Streamed answers go out frame by frame as the upstream sends them (chunked transfer, flushed
 * per frame, {@code : ping} comments through silences); a client that leaves cancels the upstream
 * call at the next write. The dev server runs it on loopback; the streaming function runs it
 * under the Lambda Web Adapter.
 */
public final class StreamingServer implements AutoCloseable {

  static {
    // Streamed frames are small writes; with Nagle's algorithm on, the JDK server's default, each
    // may wait for the previous one's ACK. Read once, when the server's config class loads.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private StreamingServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static StreamingServer start(Gateway gateway, String host, int port) throws IOException {
    return start(gateway, host, port, KeepAliveSink.DEFAULT_INTERVAL);
  }

  /** As {@link #start(Gateway, String, int)}, with {@code pingInterval} of upstream silence before a {@code : ping}. */
  public static StreamingServer start(Gateway gateway, String host, int port, Duration pingInterval)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(gateway, exchange, pingInterval));
    server.start();
    return new StreamingServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void serve(Gateway gateway, HttpExchange exchange, Duration pingInterval) throws IOException {
    try (exchange) {
      long limit = gateway.maxRequestBytes();
      byte[] body = readAtMost(exchange.getRequestBody(), limit + 1);
      Map<String, String> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
      GatewayRequest request =
          new GatewayRequest(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              headers,
              body,
              "req-" + UUID.randomUUID());
      GatewayResponse response = gateway.handleStreaming(request);
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      if (body.length > limit) {
        exchange.getResponseHeaders().set("connection", "close"); // the rest of the body is unread
      }
      if (response.streamed()) {
        exchange.sendResponseHeaders(response.status(), 0); // chunked: length unknown
        try (OutputStream out = exchange.getResponseBody()) {
          KeepAliveSink sink = new KeepAliveSink(out, pingInterval);
          try {
            response.stream().writeTo(sink);
          } finally {
            sink.stop();
          }
        }
        return;
      }
      byte[] bytes = response.body();
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

}
