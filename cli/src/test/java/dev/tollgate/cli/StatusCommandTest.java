package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.aws.DynamoDbTargetStatsStore;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.routing.StatsDelta;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tollgate status} over DynamoDB Local: strategies, shares from merged statistics, shared breaker state. */
class StatusCommandTest {

  /** Tomorrow 10:00:30: DynamoDB Local deletes items whose TTL has passed. */
  private static final Instant NOW =
      Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofSeconds(36_030));
  private static final Instant MINUTE = NOW.truncatedTo(ChronoUnit.MINUTES);

  private static final String CONFIG =
      """
      models:
        chat:
          strategy: latency
          probeShare: 0.1
          targets:
            - {id: fast, provider: mock, weight: 1}
            - {id: slow, provider: mock, weight: 3}
            - {id: backup, provider: mock, priority: 2}
        cheap:
          strategy: cost
          targets:
            - {id: small, provider: mock, priceInputPerMillion: 0.15, priceOutputPerMillion: 0.6}
            - {id: large, provider: mock, priceInputPerMillion: 5, priceOutputPerMillion: 15}
        plain:
          targets: [{id: one, provider: mock, weight: 2}, {id: two, provider: mock, weight: 2}]
      """;

  private static LocalDynamoDb dynamo;
  private static String endpoint;
  private static final String PREFIX = "status-";

  @BeforeAll
  static void startDynamo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    dynamo = LocalDynamoDb.onPort(port);
    endpoint = "http://127.0.0.1:" + port;
    TableSchemas.createAll(dynamo.client(), PREFIX);
    ConfigFile.Loaded loaded = ConfigFile.parse("status.yaml", new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
    assertTrue(loaded.valid(), loaded.errors().toString());
    new DynamoDbConfigWriter(dynamo.client(), PREFIX + TableSchemas.CONFIG).apply(loaded.items(), false);
    DynamoDbTargetStatsStore store = new DynamoDbTargetStatsStore(dynamo.client(), PREFIX + TableSchemas.COUNTERS);
    store.add(MINUTE, Map.of(
        "chat#fast", new StatsDelta(40, 0, 0, 0, 40 * 12, 0, 0),
        "chat#slow", new StatsDelta(30, 3, 3, 0, 27 * 80, 0, 0)));
    store.add(MINUTE.minus(Duration.ofMinutes(2)), Map.of("chat#fast", new StatsDelta(10, 0, 0, 0, 10 * 12, 0, 0)));
    store.pause(Map.of("chat#backup", NOW.plusSeconds(20)));
  }

  @AfterAll
  static void stopDynamo() {
    dynamo.close();
  }

  private static CliRun status(String... options) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            return type == StatusCommand.class
                ? type.cast(new StatusCommand(Clock.fixed(NOW, ZoneOffset.UTC)))
                : CommandLine.defaultFactory().create(type);
          }
        };
    List<String> args = new java.util.ArrayList<>(
        List.of("status", "--endpoint", endpoint, "--region", "us-east-1", "--table-prefix", PREFIX));
    args.addAll(List.of(options));
    return CliRun.of(factory, args.toArray(String[]::new));
  }

  private static List<String> lines(CliRun run) {
    assertEquals(0, run.exitCode(), run.out() + run.err());
    return run.out().lines().map(line -> line.replaceAll(" +", " ")).toList();
  }

  @Test
  void printsEachTargetsShareFiguresAndBreakerAsTheGatewayComputesThem() {
    List<String> lines = lines(status());

    assertEquals("ALIAS STRATEGY TARGET PRIO WEIGHT SHARE LATENCY TTFT ERRORS 429 CALLS BREAKER", lines.get(0));
    assertTrue(lines.contains("chat latency fast 1 1 90.0% 12 ms - 0.0% 0.0% 50 closed"), run(lines));
    assertTrue(lines.contains("chat latency slow 1 3 10.0% 80 ms - 10.0% 10.0% 30 closed"), run(lines));
    assertTrue(lines.contains("chat latency backup 2 1 0.0% - - - - 0 open until " + NOW.plusSeconds(20)), run(lines));
    assertTrue(lines.contains("cheap cost small 1 1 95.0% - - - - 0 closed"), run(lines));
    assertTrue(lines.contains("plain weighted one 1 2 50.0% - - - - 0 closed"), run(lines));
  }

  @Test
  void modelNarrowsToOneAlias() {
    List<String> lines = lines(status("--model", "plain"));

    assertEquals(3, lines.size(), run(lines));
  }

  private static String run(List<String> lines) {
    return String.join("\n", lines);
  }
}
