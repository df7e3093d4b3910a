package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bedrock Guardrails' {@code ApplyGuardrail} on loopback, in its documented REST-JSON shape:
 * {@code POST /guardrail/{id}/version/{version}/apply} with {@code {source, content: [{text: {text}}]}},
 * answered with {@code action} NONE or GUARDRAIL_INTERVENED, {@code outputs} and {@code assessments}.
 * It intervenes when the text contains {@link #blockedWord} (a denied topic named "Forbidden"),
 * and can be told to answer every call with an error status instead.
 */
public final class FakeGuardrailServer implements AutoCloseable {

  public static final String BLOCKED_MESSAGE = "Sorry, this guardrail does not allow that topic.";
  private static final Pattern PATH = Pattern.compile("/guardrail/([^/]+)/version/([^/]+)/apply");

  /** One call as the fake saw it. */
  public record Call(String guardrailId, String version, String source, String text) {}

  private final HttpServer server;
  private final String blockedWord;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile int failWith;

  private FakeGuardrailServer(HttpServer server, String blockedWord) {
    this.server = server;
    this.blockedWord = blockedWord.toLowerCase(Locale.ROOT);
  }

  public static FakeGuardrailServer start(String blockedWord) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
      FakeGuardrailServer fake = new FakeGuardrailServer(server, blockedWord);
      server.createContext("/", fake::serve);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Answers every later call with {@code status} (e.g. 500, 429); 0 to answer normally again. */
  public void failWith(int status) {
    this.failWith = status;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = Json.parse(exchange.getRequestBody().readAllBytes());
      Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
      if (!exchange.getRequestMethod().equals("POST") || !path.matches()) {
        send(exchange, 404, "{\"message\":\"not found\"}", "ResourceNotFoundException");
        return;
      }
      StringBuilder text = new StringBuilder();
      body.path("content").forEach(block -> text.append(block.path("text").path("text").asText()));
      calls.add(new Call(path.group(1), path.group(2), body.path("source").asText(), text.toString()));
      if (failWith != 0) {
        send(exchange, failWith, "{\"message\":\"scripted failure\"}", failWith == 429 ? "ThrottlingException" : "InternalServerException");
        return;
      }
      send(exchange, 200, Json.text(answer(text.toString().toLowerCase(Locale.ROOT).contains(blockedWord))), null);
    }
  }

  /** Bedrock's answer: intervened with the blocked message and a topic assessment, or not. */
  public static ObjectNode answer(boolean intervene) {
    ObjectNode answer = Json.object();
    answer.putObject("usage").put("topicPolicyUnits", 1).put("contentPolicyUnits", 1);
    answer.put("action", intervene ? "GUARDRAIL_INTERVENED" : "NONE");
    var outputs = answer.putArray("outputs");
    var assessments = answer.putArray("assessments");
    if (intervene) {
      outputs.addObject().put("text", BLOCKED_MESSAGE);
      var topic = assessments.addObject().putObject("topicPolicy").putArray("topics").addObject();
      topic.put("name", "Forbidden").put("type", "DENY").put("action", "BLOCKED").put("detected", true);
    } else {
      assessments.addObject();
    }
    return answer;
  }

  private static void send(HttpExchange exchange, int status, String body, String errorType) throws IOException {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json");
    if (errorType != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
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
