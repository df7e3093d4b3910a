package dev.tollgate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A REST-JSON AWS service on loopback (Bedrock Runtime's InvokeModel, Bedrock Agent Runtime's
 * Retrieve, Lambda's Invoke): records each request and answers with what the test scripts, with
 * the error code in {@code x-amzn-ErrorType} as AWS sends it.
 */
public final class LoopbackAwsServer implements AutoCloseable {

  /** A request as the server saw it; {@code path} is URL-decoded. */
  public record Request(String method, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (var entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue().getFirst();
        }
      }
      return null;
    }
  }

  /** An answer: status, body, extra headers. */
  public record Response(int status, String body, Map<String, String> headers) {
    public static Response json(String body) {
      return new Response(200, body, Map.of());
    }

    /** An AWS error: {@code x-amzn-ErrorType} names it, the body carries the message. */
    public static Response error(int status, String code, String message) {
      return new Response(status, "{\"message\":\"" + message + "\"}", Map.of("x-amzn-ErrorType", code));
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> script = r -> Response.error(500, "InternalServerException", "not scripted");

  private LoopbackAwsServer(HttpServer server) {
    this.server = server;
  }

  public static LoopbackAwsServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      LoopbackAwsServer fake = new LoopbackAwsServer(server);
      server.createContext("/", fake::serve);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers every later request with {@code script}'s response. */
  public void answer(Function<Request, Response> script) {
    this.script = script;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request =
          new Request(
              exchange.getRequestMethod(),
              URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8),
              Map.copyOf(exchange.getRequestHeaders()),
              body);
      requests.add(request);
      Response response = script.apply(request);
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("x-amzn-RequestId", "00000000-0000-4000-8000-000000000001");
      response.headers().forEach(exchange.getResponseHeaders()::set);
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
