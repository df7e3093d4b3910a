package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * DynamoDB throttling cannot be provoked in DynamoDB Local, so the sink's client talks to a
 * loopback server speaking DynamoDB's JSON protocol: it answers the first N PutItem calls with
 * DynamoDB's throttling error and passes everything else to DynamoDB Local. The record lands once
 * a retry gets through; when none does, it is logged whole; either way the round trips are
 * counted and bounded.
 */
class DynamoDbAuditThrottlingTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final List<String> fallback = new ArrayList<>();
  private ThrottlingFront front;
  private String table;
  private DynamoDbClient admin;

  @BeforeEach
  void start() throws IOException {
    admin = dynamo.serverClient();
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(admin, prefix);
    table = prefix + TableSchemas.AUDIT;
    front = new ThrottlingFront(dynamo.serverEndpoint());
  }

  @AfterEach
  void stop() {
    front.stop();
  }

  private DynamoDbAuditSink sink() {
    // The production client: one attempt per call, so every round trip is the sink's own.
    DynamoDbClient client = AwsClients.dynamoDbSingleAttempt(Region.US_EAST_1, Optional.of(front.endpoint()));
    return new DynamoDbAuditSink(client, table, metrics, fallback::add);
  }

  private boolean stored(String requestId) {
    return admin.getItem(GetItemRequest.builder().tableName(table).key(Map.of("requestId", AttributeValue.fromS(requestId))).build())
        .hasItem();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
      "com.amazonaws.dynamodb.v20120810#ThrottlingException",
      "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded"})
  void aThrottledWriteIsRetriedUntilTheRecordLands(String errorType) {
    front.throttleFirst(2, 400, errorType);

    sink().write(DynamoDbAuditSinkTest.record("req-throttled", "search", MutableClock.AHEAD));

    assertTrue(stored("req-throttled"), "the third attempt stored it");
    assertEquals(3, front.putItems(), "two throttled round trips, then the one that landed");
    assertEquals(List.of(), fallback);
  }

  @Test
  void aServerErrorIsRetriedToo() {
    front.throttleFirst(1, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError");

    sink().write(DynamoDbAuditSinkTest.record("req-500", "search", MutableClock.AHEAD));

    assertTrue(stored("req-500"));
    assertEquals(2, front.putItems());
  }

  @Test
  void aWriteThrottledEveryTimeBecomesOneLogLineAfterTheLastAttempt() {
    front.throttleFirst(100, 400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
    AuditRecord record = DynamoDbAuditSinkTest.record("req-logged", "search", MutableClock.AHEAD);

    sink().write(record);

    assertFalse(stored("req-logged"));
    assertEquals(DynamoDbAuditSink.MAX_ATTEMPTS, front.putItems(), "bounded: no more round trips than the attempts");
    assertEquals(1, fallback.size());
    var line = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(fallback.getFirst());
    assertTrue(line.path("auditFallback").asBoolean());
    assertTrue(line.path("reason").asText().startsWith("ProvisionedThroughputExceededException"), line.toString());
    line.remove(Set.of("level", "logger", "auditFallback", "reason"));
    assertEquals(Json.text(record.toJson()), Json.text(line), "the whole record is in the line");
    assertEquals(1, metrics.sum(MetricNames.AUDIT_FALLBACKS));
  }

  @Test
  void aRequestTheTableRejectsIsNotRetried() {
    front.throttleFirst(5, 400, "com.amazonaws.dynamodb.v20120810#ValidationException");

    sink().write(DynamoDbAuditSinkTest.record("req-invalid", "search", MutableClock.AHEAD));

    assertEquals(1, front.putItems());
    assertEquals(1, fallback.size());
  }

  /** DynamoDB's JSON protocol on loopback: fails the first N PutItems as told, forwards the rest. */
  private static final class ThrottlingFront {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "transfer-encoding");

    private final HttpServer server;
    private final HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final AtomicInteger putItems = new AtomicInteger();
    private volatile int failures;
    private volatile int status;
    private volatile String errorType;

    ThrottlingFront(URI target) throws IOException {
      this.target = target;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void throttleFirst(int count, int status, String errorType) {
      this.failures = count;
      this.status = status;
      this.errorType = errorType;
    }

    int putItems() {
      return putItems.get();
    }

    void stop() {
      server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String operation = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      if (operation.endsWith(".PutItem") && putItems.incrementAndGet() <= failures) {
        String error = "{\"__type\":\"" + errorType + "\",\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}";
        answer(exchange, status, error.getBytes(StandardCharsets.UTF_8), "application/x-amz-json-1.0");
        return;
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
          .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          values.forEach(value -> request.header(name, value));
        }
      });
      try {
        HttpResponse<byte[]> response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        answer(exchange, response.statusCode(), response.body(),
            response.headers().firstValue("content-type").orElse("application/x-amz-json-1.0"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        answer(exchange, 500, new byte[0], "text/plain");
      }
    }

    private static void answer(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("x-amzn-RequestId", "front-" + System.nanoTime());
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
