package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.aws.DynamoDbAuditSink;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.telemetry.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tollgate audit} against DynamoDB Local: the records real requests through the dev server
 * left (answered, streamed, refused by a limit, unauthenticated), then the time range, the limit
 * and the pages of the index over records written at fixed times.
 */
class AuditCommandTest {

  /** Tomorrow 10:00: in the future, since DynamoDB Local hides items whose TTL has passed. */
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(34));

  @TempDir static Path dir;
  private static DevServer server;
  private static int dynamoPort;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      dynamoPort = socket.getLocalPort();
    }
    Path config = dir.resolve("audited.yaml");
    Files.writeString(
        config,
        """
        models:
          mock:
            auditPayloads: true
            targets:
              - id: mock-echo
                provider: mock
          once:
            targets:
              - id: mock-once
                provider: mock
        limits:
          once-a-day:
            metric: requests
            limit: 1
            window: 1d
            models: [once]
        """);
    server =
        DevServer.start(
            new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.empty(), Optional.of(dynamoPort), Duration.ofSeconds(15), Map.of()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> chat(String key, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CliRun audit(Clock clock, String... options) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            return type == AuditCommand.class ? type.cast(new AuditCommand(clock)) : CommandLine.defaultFactory().create(type);
          }
        };
    List<String> args =
        new ArrayList<>(List.of("audit", "--endpoint", "http://127.0.0.1:" + dynamoPort, "--region", "us-east-1"));
    args.addAll(List.of(options));
    return CliRun.of(factory, args.toArray(String[]::new));
  }

  @Test
  void listsWhatRealRequestsLeftNewestFirst() throws Exception {
    String key = server.demoKey();
    HttpResponse<String> answered =
        chat(key, "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"audit me\"}]}");
    HttpResponse<String> streamed =
        chat(key, "{\"model\":\"mock\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}");
    HttpResponse<String> first = chat(key, "{\"model\":\"once\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> refused = chat(key, "{\"model\":\"once\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<String> stranger = chat("tg-not-a-key", "{\"model\":\"mock\",\"messages\":[]}");
    assertEquals(List.of(200, 200, 200, 429, 401),
        List.of(answered.statusCode(), streamed.statusCode(), first.statusCode(), refused.statusCode(), stranger.statusCode()));
    assertTrue(streamed.body().endsWith("data: [DONE]\n\n"), "the whole stream was read");

    CliRun run = audit(Clock.systemUTC(), "--consumer", "demo", "--since", "10m", "--json");

    assertEquals(0, run.exitCode(), run.err());
    JsonNode records = Json.parse(run.out());
    assertEquals(4, records.size(), run.out());
    List<String> ids = new ArrayList<>();
    records.forEach(r -> ids.add(r.path("requestId").asText()));
    assertEquals(
        List.of(id(refused), id(first), id(streamed), id(answered)), ids, "newest first, ids as the responses said");
    JsonNode limited = records.get(0);
    assertEquals(429, limited.path("status").asInt());
    assertEquals("refuse", limited.at("/verdicts/0/action").asText());
    assertEquals("once-a-day", limited.at("/verdicts/0/policy").asText());
    JsonNode stream = records.get(2);
    assertEquals("ok", stream.path("outcome").asText());
    assertTrue(stream.path("tokensOut").asLong() > 0, "the stream's usage, known only at its end: " + stream);
    assertEquals("user: stream me", stream.path("prompt").asText(), "the mock route keeps payloads");
    assertFalse(stream.path("response").asText().isEmpty());
    assertTrue(records.get(1).path("prompt").isMissingNode(), "the once route does not");
    assertEquals("mock-echo", records.get(3).at("/attempts/0/target").asText());

    CliRun unauthenticated = audit(Clock.systemUTC(), "--consumer", AuditRecord.NO_CONSUMER, "--since", "10m", "--json");
    JsonNode strangers = Json.parse(unauthenticated.out());
    assertTrue(ids(strangers).contains(id(stranger)), unauthenticated.out());

    CliRun table = audit(Clock.systemUTC(), "--consumer", "demo", "--since", "10m");
    String[] lines = table.out().split("\n");
    assertTrue(lines[0].startsWith("AT") && lines[0].contains("REQUEST ID") && lines[0].contains("VERDICTS"), table.out());
    assertTrue(lines[1].contains(id(refused)) && lines[1].contains("429") && lines[1].contains("limit:once-a-day=refuse"), lines[1]);
  }

  @Test
  void readsTheRangeItIsGivenUpToTheLimitAcrossPages() {
    String prefix = "audit-range-";
    TableSchemas.createAll(server.dynamo(), prefix);
    DynamoDbAuditSink sink = new DynamoDbAuditSink(server.dynamo(), prefix + TableSchemas.AUDIT, Metrics.NONE);
    for (int minutes = 0; minutes < 150; minutes++) {
      sink.write(record("r" + minutes, NOW.minus(Duration.ofMinutes(minutes))));
    }
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    JsonNode lastHour = Json.parse(audit(clock, "--table-prefix", prefix, "--consumer", "search", "--since", "1h", "--limit", "500", "--json").out());
    JsonNode window =
        Json.parse(audit(clock, "--table-prefix", prefix, "--consumer", "search", "--since", "2h", "--until", "90m", "--json").out());
    JsonNode absolute =
        Json.parse(audit(clock, "--table-prefix", prefix, "--consumer", "search", "--since", NOW.minus(Duration.ofMinutes(2)).toString(),
            "--json").out());
    JsonNode limited = Json.parse(audit(clock, "--table-prefix", prefix, "--consumer", "search", "--since", "1d", "--json").out());

    assertEquals(61, lastHour.size(), "0 to 60 minutes ago, both ends in");
    assertEquals("r0", lastHour.get(0).path("requestId").asText());
    assertEquals(31, window.size());
    assertEquals("r90", window.get(0).path("requestId").asText());
    assertEquals(List.of("r0", "r1", "r2"), ids(absolute));
    assertEquals(100, limited.size(), "the default limit, across the index's pages");
    CliRun nobody = audit(clock, "--table-prefix", prefix, "--consumer", "nobody");
    assertTrue(nobody.out().startsWith("No audit records of consumer 'nobody'"), nobody.out());
    CliRun bad = audit(clock, "--table-prefix", prefix, "--consumer", "search", "--since", "yesterday");
    assertNotEquals(0, bad.exitCode());
    assertTrue(bad.err().contains("--since 'yesterday'"), bad.err());
  }

  private static AuditRecord record(String id, Instant at) {
    return new AuditRecord(id, at, "POST", "/v1/chat/completions", "search", "default", "chat", List.of(), 200, "ok", 1, 1,
        null, 1, null, 2, "off", List.of(), null, null, null, at.plus(Duration.ofDays(30)).getEpochSecond(), List.of());
  }

  private static String id(HttpResponse<String> response) {
    return response.headers().firstValue("x-request-id").orElseThrow();
  }

  private static List<String> ids(JsonNode records) {
    List<String> ids = new ArrayList<>();
    records.forEach(r -> ids.add(r.path("requestId").asText()));
    return ids;
  }
}
