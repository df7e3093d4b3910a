package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible upstream on loopback that echoes the last user message (streamed word
 * by word when asked): the upstream
 * the benchmark measures against, and a stand-in for trying the {@code openai-compatible}
 * provider without a key. It also answers Bedrock's ApplyGuardrail ({@link MockGuardrail}), for
 * the dev server's {@code --guardrail-endpoint}.
 */
final class MockUpstreamServer implements AutoCloseable {

  static {
    // Like a real provider: streamed chunks leave at once (the JDK server enables Nagle by default).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** The word the mock guardrail blocks unless told another. */
  static final String DEFAULT_BLOCK_WORD = "forbidden";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Duration latency;
  private final Duration chunkInterval;
  private final MockGuardrail guardrail;
  private final AtomicLong sequence = new AtomicLong();

  private MockUpstreamServer(
      HttpServer server, ExecutorService executor, Duration latency, Duration chunkInterval, MockGuardrail guardrail) {
    this.server = server;
    this.executor = executor;
    this.latency = latency;
    this.chunkInterval = chunkInterval;
    this.guardrail = guardrail;
  }

  static MockUpstreamServer start(int port, Duration latency) throws IOException {
    return start(port, latency, Duration.ZERO);
  }

  /** {@code latency} before the first byte; {@code chunkInterval} between streamed chunks. */
  static MockUpstreamServer start(int port, Duration latency, Duration chunkInterval) throws IOException {
    return start(port, latency, chunkInterval, DEFAULT_BLOCK_WORD);
  }

  /** As above; its ApplyGuardrail intervenes on texts containing {@code blockWord}. */
  static MockUpstreamServer start(int port, Duration latency, Duration chunkInterval, String blockWord) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    MockUpstreamServer mock = new MockUpstreamServer(server, executor, latency, chunkInterval, new MockGuardrail(blockWord));
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
      if (MockGuardrail.handles(exchange.getRequestURI().getPath())) {
        send(exchange, 200, "application/json", guardrail.answer(body));
        return;
      }
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
        stream(exchange, completion, request.includeUsage());
      } else {
        send(exchange, 200, "application/json", Json.bytes(completion));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Streams the echo word by word, one chunk every {@code chunkInterval}, flushed as it goes, the
   * way a model emits tokens; then the finish chunk, the usage chunk when asked, and [DONE].
   */
  private void stream(HttpExchange exchange, ObjectNode completion, boolean includeUsage)
      throws IOException, InterruptedException {
    List<ObjectNode> chunks = CompletionChunker.chunks(completion, includeUsage);
    exchange.getResponseHeaders().set("content-type", SseEncoder.CONTENT_TYPE);
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      for (ObjectNode chunk : CompletionChunker.wordByWord(chunks)) {
        out.write(SseEncoder.event(chunk));
        out.flush();
        if (!chunkInterval.isZero()) {
          Thread.sleep(chunkInterval);
        }
      }
      out.write(SseEncoder.done());
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
