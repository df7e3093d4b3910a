package dev.tollgate.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
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
import org.slf4j.MDC;
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

  /** The header in which the Lambda Web Adapter passes API Gateway's request context. */
  static final String LWA_REQUEST_CONTEXT = "X-amzn-request-context";

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
              requestId(headers));
      MDC.put(ProxyHandler.CORRELATION_ID, request.requestId());
      GatewayResponse response = gateway.handleStreaming(request);
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      if (body.length > limit) {
        exchange.getResponseHeaders().set("connection", "close"); // the rest of the body is unread
      }
      if (response.streamed()) {
        OutputStream responseBody;
        try {
          exchange.sendResponseHeaders(response.status(), 0); // chunked: length unknown
          responseBody = exchange.getResponseBody();
        } catch (IOException | RuntimeException clientGone) {
          abandon(response);
          throw clientGone;
        }
        try (OutputStream out = responseBody) {
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
    } finally {
      MDC.remove(ProxyHandler.CORRELATION_ID); // virtual threads are not reused, but be tidy
    }
  }

  /**
   * Ends a stream whose client left before its headers went out: the body still runs to its end
   * against a sink that refuses every frame, so the upstream call is cancelled, the limits settle
   * and the audit record is written, as for a client that leaves mid-stream.
   */
  static void abandon(GatewayResponse response) {
    try {
      response.stream().writeTo(frame -> {
        throw new IOException("the client left before the stream began");
      });
    } catch (IOException expected) {
      // the refusal above, now recorded as a client disconnect
    }
  }

  /**
   * Behind the Lambda Web Adapter the API Gateway request context comes as a JSON header; its
   * request id ties our logs and {@code x-request-id} to API Gateway's. Elsewhere, a fresh id.
   */
  static String requestId(Map<String, String> headers) {
    String context = headers.get(LWA_REQUEST_CONTEXT);
    if (context != null && Json.parseOrNull(context) instanceof ObjectNode node) {
      String id = node.path("requestId").asText("");
      if (!id.isBlank() && id.length() <= 128) {
        return id;
      }
    }
    return "req-" + UUID.randomUUID();
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
