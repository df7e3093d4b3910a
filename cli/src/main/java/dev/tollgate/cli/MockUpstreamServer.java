package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.CompletionChunker;
import dev.tollgate.api.ApiException;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEncoder;
import dev.tollgate.provider.mock.EchoCompletion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible upstream on loopback that echoes the last user message: the upstream
 * the benchmark measures against, and a stand-in for trying the {@code openai-compatible}
 * provider without a key.
 */
final class MockUpstreamServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final Duration latency;
  private final AtomicLong sequence = new AtomicLong();

  private MockUpstreamServer(HttpServer server, ExecutorService executor, Duration latency) {
    this.server = server;
    this.executor = executor;
    this.latency = latency;
  }

  static MockUpstreamServer start(int port, Duration latency) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    MockUpstreamServer mock = new MockUpstreamServer(server, executor, latency);
    server.createContext("/", mock::serve);
    server.start();
    return mock;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
        send(exchange, 404, "application/json", Json.bytes(ApiError.notFound(exchange.getRequestMethod(), exchange.getRequestURI().getPath()).toJson()));
        return;
      }
      ChatRequest request;
      try {
        JsonNode root = Json.parse(body);
        request = ChatRequestValidator.validate(root);
      } catch (IOException e) {
        send(exchange, 400, "application/json", Json.bytes(ApiError.invalidJson("unparseable").toJson()));
        return;
      } catch (ApiException e) {
        send(exchange, 400, "application/json", Json.bytes(e.error().toJson()));
        return;
      }
      if (!latency.isZero()) {
        Thread.sleep(latency);
      }
      var completion =
          EchoCompletion.of(request, request.model(), "chatcmpl-upstream-" + sequence.incrementAndGet(), Instant.now().getEpochSecond());
      if (request.stream()) {
        send(exchange, 200, SseEncoder.CONTENT_TYPE, SseEncoder.body(CompletionChunker.chunks(completion, request.includeUsage())));
      } else {
        send(exchange, 200, "application/json", Json.bytes(completion));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("content-type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
