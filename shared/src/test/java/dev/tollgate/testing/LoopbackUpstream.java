package dev.tollgate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenAI-compatible upstream on 127.0.0.1 (the JDK's HTTP server) that answers chat
 * completions after a set delay and fails a set share of calls (seeded, so runs repeat): for
 * tests that watch traffic move between targets.
 */
public final class LoopbackUpstream implements AutoCloseable {

  private final HttpServer server;
  private final Random random;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile long delayMs;
  private volatile double failureRate;
  private volatile int failureStatus = 500;
  private volatile long retryAfterSeconds;

  private LoopbackUpstream(long delayMs, double failureRate, long seed) throws IOException {
    this.delayMs = delayMs;
    this.failureRate = failureRate;
    this.random = new Random(seed);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** An upstream answering after {@code delayMs}, failing {@code failureRate} of the calls with a 500. */
  public static LoopbackUpstream start(long delayMs, double failureRate, long seed) {
    try {
      return new LoopbackUpstream(delayMs, failureRate, seed);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The base URL to configure as a target's {@code baseUrl}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public int calls() {
    return calls.get();
  }

  public void resetCalls() {
    calls.set(0);
  }

  public LoopbackUpstream failing(double rate, int status) {
    this.failureRate = rate;
    this.failureStatus = status;
    return this;
  }

  /** Failures become 429 with {@code Retry-After: seconds}. */
  public LoopbackUpstream rateLimiting(double rate, long seconds) {
    this.retryAfterSeconds = seconds;
    return failing(rate, 429);
  }

  public LoopbackUpstream delay(long millis) {
    this.delayMs = millis;
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      boolean stream = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
          .path("stream").asBoolean(false);
      calls.incrementAndGet();
      boolean fail;
      synchronized (random) {
        fail = random.nextDouble() < failureRate;
      }
      if (delayMs > 0) {
        Thread.sleep(delayMs);
      }
      if (fail) {
        if (retryAfterSeconds > 0) {
          exchange.getResponseHeaders().add("retry-after", Long.toString(retryAfterSeconds));
        }
        send(exchange, failureStatus,
            "{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        return;
      }
      if (stream) {
        stream(exchange);
        return;
      }
      send(exchange, 200, Json.text(FakeUpstream.completion("upstream-model", "hello", 9, 12)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Two content chunks {@code delayMs} apart, then a usage chunk and {@code [DONE]}, as OpenAI streams. */
  private void stream(HttpExchange exchange) throws IOException, InterruptedException {
    exchange.getResponseHeaders().add("content-type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      for (String word : new String[] {"hel", "lo"}) {
        out.write(("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"finish_reason\":null}]}\n\n")
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(delayMs);
      }
      out.write(("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\ndata: [DONE]\n\n")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
