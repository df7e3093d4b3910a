package dev.tollgate.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A loopback stand-in for Bedrock Runtime's {@code ConverseStream}: it answers
 * {@code POST /model/{modelId}/converse-stream} with {@code application/vnd.amazon.eventstream}
 * frames encoded by AWS's own event-stream library, written and flushed one at a time, so a
 * client sees each event when it is sent. A test scripts the next answer (events, exception
 * events, pauses, a dropped connection, or an error before the stream) and reads what was sent.
 * Register it with {@code @RegisterExtension static}; scripts and recordings reset per test.
 */
final class BedrockEventStreamFake implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  static final String REQUEST_ID = "7d2a9e4b-3c1f-4e6a-8b5d-0f9e8d7c6b5a";
  private static final Duration HOLD_LIMIT = Duration.ofSeconds(10);

  /** What the fake received. */
  record Received(String method, String rawPath, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  /** One step of a scripted answer. */
  sealed interface Step {}

  /** An event frame ({@code :message-type: event}). */
  record Event(String type, String json) implements Step {}

  /** An exception frame ({@code :message-type: exception}). */
  record ExceptionEvent(String type, String message) implements Step {}

  /** Waits until the test opens the gate (or {@link #HOLD_LIMIT} passes). */
  record Hold(Gate gate) implements Step {}

  /** Keeps sending text deltas until the client hangs up (or {@link #HOLD_LIMIT} passes). */
  record UntilHungUp() implements Step {}

  /** Drops the connection mid-answer: no end of the chunked body. */
  record Cut() implements Step {}

  /** A pause point in a scripted answer; {@link #held()} says the fake is still waiting at it. */
  static final class Gate {
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile boolean gaveUp;

    void open() {
      opened.countDown();
    }

    /** Whether the fake reached the gate and is still waiting there for the test. */
    boolean held() {
      return reached.getCount() == 0 && opened.getCount() == 1 && !gaveUp;
    }

    private void pass() throws InterruptedException {
      reached.countDown();
      if (!opened.await(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        gaveUp = true;
      }
    }
  }

  private sealed interface Answer {}

  private record Stream(List<Step> steps) implements Answer {}

  private record Refusal(int status, String type, String message) implements Answer {}

  private record Silence(Gate gate) implements Answer {}

  private HttpServer server;
  private ExecutorService executor;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private volatile Answer answer = new Stream(List.of());
  private volatile CountDownLatch hungUp = new CountDownLatch(1);

  static Event event(String type, String json) {
    return new Event(type, json);
  }

  static ExceptionEvent exception(String type, String message) {
    return new ExceptionEvent(type, message);
  }

  static Hold hold(Gate gate) {
    return new Hold(gate);
  }

  static UntilHungUp untilHungUp() {
    return new UntilHungUp();
  }

  static Cut cut() {
    return new Cut();
  }

  /** A text answer as Bedrock streams it: start, one delta per piece, stop, metadata. */
  static List<Step> textAnswer(String stopReason, String... pieces) {
    List<Step> steps = new ArrayList<>();
    steps.add(event("messageStart", "{\"p\":\"abcd\",\"role\":\"assistant\"}"));
    for (String piece : pieces) {
      steps.add(event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + piece + "\"},\"p\":\"abcdefgh\"}"));
    }
    steps.add(event("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abc\"}"));
    steps.add(event("messageStop", "{\"p\":\"ab\",\"stopReason\":\"" + stopReason + "\"}"));
    steps.add(metadata(21, 7, 28));
    return steps;
  }

  static Event metadata(int input, int output, int total) {
    return event(
        "metadata",
        "{\"metrics\":{\"latencyMs\":312},\"p\":\"abcdef\",\"usage\":{\"inputTokens\":%d,\"outputTokens\":%d,\"totalTokens\":%d}}"
            .formatted(input, output, total));
  }

  /** The next calls get this event stream. */
  void streams(List<Step> steps) {
    answer = new Stream(List.copyOf(steps));
  }

  void streams(Step... steps) {
    streams(List.of(steps));
  }

  /** The next calls are refused before any stream, as Bedrock refuses: status, type header, JSON message. */
  void refuses(int status, String type, String message) {
    answer = new Refusal(status, type, message);
  }

  /** The next calls get no response at all until the gate opens: a Bedrock that never answers. */
  void staysSilent(Gate gate) {
    answer = new Silence(gate);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Whether the client closed the connection while an {@link UntilHungUp} step was sending. */
  boolean awaitHangUp(Duration within) throws InterruptedException {
    return hungUp.await(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    received.clear();
    answer = new Stream(List.of());
    hungUp = new CountDownLatch(1);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            new String(body, StandardCharsets.UTF_8)));
    exchange.getResponseHeaders().add("x-amzn-RequestId", REQUEST_ID);
    switch (answer) {
      case Refusal refusal -> refuse(exchange, refusal);
      case Stream stream -> stream(exchange, stream.steps());
      case Silence silence -> {
        try {
          silence.gate().pass();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
      }
    }
  }

  private static void refuse(HttpExchange exchange, Refusal refusal) throws IOException {
    byte[] json = ("{\"message\":\"" + refusal.message() + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("content-type", "application/json");
    exchange.getResponseHeaders().add("x-amzn-ErrorType", refusal.type() + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    exchange.sendResponseHeaders(refusal.status(), json.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(json);
    }
  }

  private void stream(HttpExchange exchange, List<Step> steps) throws IOException {
    exchange.getResponseHeaders().add("content-type", "application/vnd.amazon.eventstream");
    exchange.sendResponseHeaders(200, 0); // chunked: the length is not known up front
    OutputStream out = exchange.getResponseBody();
    for (Step step : steps) {
      switch (step) {
        case Event event -> send(out, eventFrame(event.type(), event.json()));
        case ExceptionEvent exception -> send(out, exceptionFrame(exception.type(), exception.message()));
        case Hold hold -> {
          try {
            hold.gate().pass();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        case UntilHungUp until -> {
          if (sendUntilHungUp(out)) {
            hungUp.countDown();
            return;
          }
        }
        case Cut cut ->
            // The server closes the connection when a handler fails, without the chunked body's end.
            throw new IllegalStateException("connection cut by the test script");
      }
    }
    out.close();
  }

  private static boolean sendUntilHungUp(OutputStream out) {
    long deadline = System.nanoTime() + HOLD_LIMIT.toNanos();
    byte[] frame = eventFrame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\".\"}}");
    while (System.nanoTime() < deadline) {
      try {
        send(out, frame);
        Thread.sleep(10);
      } catch (IOException e) {
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static void send(OutputStream out, byte[] frame) throws IOException {
    out.write(frame);
    out.flush();
  }

  /** One event frame exactly as Bedrock sends it. */
  static byte[] eventFrame(String type, String json) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return encode(headers, json);
  }

  /** One exception frame exactly as Bedrock sends it (e.g. {@code throttlingException}). */
  static byte[] exceptionFrame(String type, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return encode(headers, "{\"message\":\"" + message + "\"}");
  }

  private static byte[] encode(Map<String, HeaderValue> headers, String json) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(bytes);
    return bytes.toByteArray();
  }
}
