package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.aws.DynamoDbQuotaStore;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.Draw;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.Reservation;
import dev.tollgate.limit.ReserveOutcome;
import dev.tollgate.limit.ScopeKey;
import dev.tollgate.limit.Window;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@code tollgate usage} against DynamoDB Local on a port: policies and keys in the config table,
 * counters written by a real {@link DynamoDbQuotaStore}, the command run at a fixed moment.
 */
class UsageCommandTest {

  /**
   * 10:15 tomorrow: a quarter past the hour, so a 1h sliding window still holds three quarters of
   * the previous hour. In the future, because DynamoDB Local may delete items whose TTL has passed.
   */
  private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
  private static final Instant NOW = DAY.plus(Duration.ofMinutes(10 * 60 + 15));
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private static LocalDynamoDb dynamo;
  private static String endpoint;

  private static final String CONFIG =
      """
      models:
        gpt-4o:
          targets: [{id: big, provider: mock}]
        mini:
          targets: [{id: small, provider: mock}]
      keys:
        - {sha256: "%s", consumer: alice, group: free, models: ["*"]}
        - {sha256: "%s", consumer: dave, group: paid, models: ["*"]}
        - {sha256: "%s", consumer: carol, group: paid, models: ["*"]}
        - {sha256: "%s", consumer: carol, group: free, models: ["*"]}
      limits:
        free-tpm: {metric: totalTokens, limit: 100000, window: 1m, scope: [consumer, route], groups: [free]}
        group-hourly: {metric: requests, limit: 1000, window: 1h, windowKind: sliding, scope: [group]}
        daily-cost: {metric: costUsd, limit: 25.50, window: 1d, models: [gpt-4o]}
      """
          .formatted(ApiKeys.hash("tg-a"), ApiKeys.hash("tg-d"), ApiKeys.hash("tg-c1"), ApiKeys.hash("tg-c2"));

  @BeforeAll
  static void startDynamo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    dynamo = LocalDynamoDb.onPort(port);
    endpoint = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stopDynamo() {
    dynamo.close();
  }

  /** Tables under a prefix no other test uses, with CONFIG in the config table. */
  private static String freshTables() throws Exception {
    String prefix = "u" + PREFIXES.incrementAndGet() + "-";
    TableSchemas.createAll(dynamo.client(), prefix);
    ConfigFile.Loaded loaded = ConfigFile.parse("usage.yaml", new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
    assertTrue(loaded.valid(), loaded.errors().toString());
    new DynamoDbConfigWriter(dynamo.client(), prefix + TableSchemas.CONFIG).apply(loaded.items(), false);
    return prefix;
  }

  private static Map<String, LimitPolicy> policies() throws Exception {
    ConfigFile.Loaded loaded = ConfigFile.parse("usage.yaml", new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
    return new ConfigValidator(ConfigFile.catalog()).validate(loaded.items(), NOW).config().limits().stream()
        .collect(Collectors.toMap(LimitPolicy::name, p -> p));
  }

  /** What the gateway does for one request: reserve an estimate at {@code at}, then settle to {@code actual}. */
  private static void use(String prefix, String policyName, Map<String, String> values, long actual, Instant at) throws Exception {
    LimitPolicy policy = policies().get(policyName);
    String scope = ScopeKey.of(policy.scope(), part -> Optional.ofNullable(values.get(part.toString())));
    CounterKey counter = new CounterKey(policy.name(), scope, policy.window());
    DynamoDbQuotaStore store = new DynamoDbQuotaStore(dynamo.client(), prefix + TableSchemas.COUNTERS);
    String requestId = "req-" + PREFIXES.incrementAndGet();
    Reservation reservation =
        assertInstanceOf(
                ReserveOutcome.Admitted.class, store.reserve(requestId, List.of(new Draw(counter, policy.limit(), actual + 1)), at))
            .reservation();
    store.settle(reservation, Map.of(counter, actual), at.plusSeconds(1));
  }

  /** The usual traffic: two consumers of the free tier, the group counters, the cost counter, and stale buckets. */
  private static String tablesWithTraffic() throws Exception {
    String prefix = freshTables();
    use(prefix, "free-tpm", Map.of("consumer", "alice", "route", "gpt-4o"), 41_250, NOW);
    use(prefix, "free-tpm", Map.of("consumer", "alice", "route", "mini"), 1_000, NOW);
    // Dave was in the free group when he used it; his key has since moved to paid.
    use(prefix, "free-tpm", Map.of("consumer", "dave", "route", "gpt-4o"), 500, NOW);
    // The minute before: no longer counts in a fixed window.
    use(prefix, "free-tpm", Map.of("consumer", "erin", "route", "gpt-4o"), 700, NOW.minusSeconds(30));
    use(prefix, "group-hourly", Map.of("group", "free"), 600, DAY.plus(Duration.ofMinutes(9 * 60 + 30)));
    use(prefix, "group-hourly", Map.of("group", "free"), 100, NOW);
    use(prefix, "group-hourly", Map.of("group", "paid"), 40, NOW);
    // Two hours back: outside even the sliding window's previous bucket.
    use(prefix, "group-hourly", Map.of("group", "vip"), 900, DAY.plus(Duration.ofMinutes(8 * 60 + 59)));
    use(prefix, "daily-cost", Map.of(), 3_250_000, NOW); // $3.25
    return prefix;
  }

  private static CliRun usage(String prefix, String... options) {
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            return type == UsageCommand.class
                ? type.cast(new UsageCommand(Clock.fixed(NOW, ZoneOffset.UTC)))
                : CommandLine.defaultFactory().create(type);
          }
        };
    List<String> args = new ArrayList<>(List.of("usage", "--endpoint", endpoint, "--region", "us-east-1", "--table-prefix", prefix));
    args.addAll(List.of(options));
    return CliRun.of(factory, args.toArray(String[]::new));
  }

  private static JsonNode json(String prefix, String... options) {
    List<String> args = new ArrayList<>(List.of(options));
    args.add("--json");
    CliRun run = usage(prefix, args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.out() + run.err());
    return Json.parse(run.out());
  }

  /** Each row as {@code policy scope}, in the order printed. */
  private static List<String> counters(String prefix, String... options) {
    List<String> rows = new ArrayList<>();
    for (JsonNode row : json(prefix, options)) {
      List<String> scope = new ArrayList<>();
      row.get("scope").properties().forEach(e -> scope.add(e.getKey() + "=" + e.getValue().asText()));
      rows.add(row.get("policy").asText() + " " + (scope.isEmpty() ? "(all)" : String.join(" ", scope)));
    }
    return rows;
  }

  private static JsonNode row(JsonNode rows, String policy, String scopePart) {
    for (JsonNode row : rows) {
      if (row.get("policy").asText().equals(policy) && row.get("scope").toString().contains(scopePart)) {
        return row;
      }
    }
    throw new AssertionError("no row " + policy + " " + scopePart + " in " + rows);
  }

  @Test
  void everyLiveCounterWithUsedLimitRemainingSortedByPolicyThenScope() throws Exception {
    String prefix = tablesWithTraffic();
    assertEquals(
        List.of(
            "daily-cost (all)",
            "free-tpm consumer=alice route=gpt-4o",
            "free-tpm consumer=alice route=mini",
            "free-tpm consumer=dave route=gpt-4o",
            "group-hourly group=free",
            "group-hourly group=paid"),
        counters(prefix));

    JsonNode rows = json(prefix);
    JsonNode alice = row(rows, "free-tpm", "\"gpt-4o\"");
    assertEquals("totalTokens", alice.get("metric").asText());
    assertEquals("1m fixed", alice.get("window").asText());
    assertEquals(NOW.toString(), alice.get("windowStart").asText());
    assertEquals(NOW.plusSeconds(60).toString(), alice.get("windowEnd").asText());
    assertEquals(41_250, alice.get("used").asLong());
    assertEquals(100_000, alice.get("limit").asLong());
    assertEquals(58_750, alice.get("remaining").asLong());
    assertEquals(41.3, alice.get("usedPercent").asDouble());
    assertEquals("ctr#free-tpm#consumer=alice|route=gpt-4o", alice.get("pk").asText());
    assertEquals("fixed-60#" + NOW.getEpochSecond(), alice.get("sk").asText());
    assertTrue(alice.path("previousSk").isMissingNode(), "a fixed window has no previous bucket to show");
  }

  @Test
  void aSlidingWindowCountsTheWeightedShareOfThePreviousBucket() throws Exception {
    String prefix = tablesWithTraffic();
    JsonNode free = row(json(prefix), "group-hourly", "\"free\"");
    // 100 now, plus 600 from 09:00-10:00 of which three quarters are still inside 09:15-10:15.
    assertEquals(550, free.get("used").asLong());
    assertEquals(450, free.get("remaining").asLong());
    assertEquals(55.0, free.get("usedPercent").asDouble());
    assertEquals("1h sliding", free.get("window").asText());
    assertEquals(NOW.minus(Duration.ofHours(1)).toString(), free.get("windowStart").asText());
    assertEquals(NOW.toString(), free.get("windowEnd").asText());
    long hour = DAY.plus(Duration.ofHours(10)).getEpochSecond();
    assertEquals("sliding-3600#" + hour, free.get("sk").asText());
    assertEquals("sliding-3600#" + (hour - 3600), free.get("previousSk").asText());
  }

  @Test
  void aCostPolicyIsShownInDollars() throws Exception {
    String prefix = tablesWithTraffic();
    JsonNode cost = row(json(prefix), "daily-cost", "{}");
    assertEquals("usd", cost.get("unit").asText());
    assertEquals(3.25, cost.get("used").asDouble());
    assertEquals(25.5, cost.get("limit").asDouble());
    assertEquals(22.25, cost.get("remaining").asDouble());
    assertEquals(12.7, cost.get("usedPercent").asDouble());

    CliRun table = usage(prefix, "--policy", "daily-cost");
    assertEquals(0, table.exitCode(), table.err());
    List<String> lines = table.out().lines().toList();
    assertEquals(2, lines.size(), table.out());
    assertEquals(
        List.of("POLICY", "METRIC", "SCOPE", "WINDOW", "START", "END", "USED", "LIMIT", "REMAINING", "USED%"),
        List.of(lines.get(0).split(" +")));
    assertEquals(
        List.of("daily-cost", "costUsd", "(all)", "1d", "fixed", DAY.toString(), DAY.plus(Duration.ofDays(1)).toString(),
            "$3.25", "$25.50", "$22.25", "12.7%"),
        List.of(lines.get(1).split(" +")));
  }

  @Test
  void theTableAlignsItsColumns() throws Exception {
    String prefix = tablesWithTraffic();
    CliRun run = usage(prefix, "--consumer", "alice", "--model", "gpt-4o");
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(4, lines.size(), run.out());
    assertTrue(lines.get(2).startsWith("free-tpm      totalTokens  consumer=alice route=gpt-4o  1m fixed"), run.out());
    List<String> cells = List.of(lines.get(2).split(" +"));
    assertEquals(List.of("41,250", "100,000", "58,750", "41.3%"), cells.subList(cells.size() - 4, cells.size()), "counts grouped by thousands");
    int usedEnd = lines.get(0).indexOf("USED ") + "USED".length();
    for (String line : lines.subList(1, lines.size())) {
      assertEquals(' ', line.charAt(usedEnd), "numbers right-aligned under USED:\n" + run.out());
      assertTrue(Character.isDigit(line.charAt(usedEnd - 1)), "numbers right-aligned under USED:\n" + run.out());
    }
  }

  @Test
  void aConsumerSeesItsOwnCountersAndTheSharedOnesItsKeysFallUnder() throws Exception {
    String prefix = tablesWithTraffic();
    assertEquals(
        List.of(
            "daily-cost (all)",
            "free-tpm consumer=alice route=gpt-4o",
            "free-tpm consumer=alice route=mini",
            "group-hourly group=free"),
        counters(prefix, "--consumer", "alice"));
    // Carol holds keys in both groups: both group counters count her requests.
    assertEquals(
        List.of("daily-cost (all)", "group-hourly group=free", "group-hourly group=paid"),
        counters(prefix, "--consumer", "carol"));
  }

  @Test
  void aGroupSeesItsCountersAndThoseOfConsumersWhoseKeysAreInIt() throws Exception {
    String prefix = tablesWithTraffic();
    // Dave's counter is per consumer, and his key is in paid now: not the free group's.
    assertEquals(
        List.of(
            "daily-cost (all)",
            "free-tpm consumer=alice route=gpt-4o",
            "free-tpm consumer=alice route=mini",
            "group-hourly group=free"),
        counters(prefix, "--group", "free"));
    // free-tpm counts only the free group, whoever's counter it is.
    assertEquals(List.of("daily-cost (all)", "group-hourly group=paid"), counters(prefix, "--group", "paid"));
  }

  @Test
  void aModelSeesItsRouteCountersAndPoliciesWhoseModelsAdmitIt() throws Exception {
    String prefix = tablesWithTraffic();
    assertEquals(
        List.of("free-tpm consumer=alice route=mini", "group-hourly group=free", "group-hourly group=paid"),
        counters(prefix, "--model", "mini"));
    assertEquals(
        List.of(
            "daily-cost (all)",
            "free-tpm consumer=alice route=gpt-4o",
            "free-tpm consumer=dave route=gpt-4o",
            "group-hourly group=free",
            "group-hourly group=paid"),
        counters(prefix, "--model", "gpt-4o"));
    assertEquals(List.of("group-hourly group=paid"), counters(prefix, "--model", "mini", "--policy", "group-hourly", "--group", "paid"));
  }

  @Test
  void countersOfInvalidOrRemovedPoliciesOrOfAnEarlierScopeOrWindowAreNotShown() throws Exception {
    String prefix = freshTables();
    use(prefix, "group-hourly", Map.of("group", "free"), 10, NOW);
    DynamoDbQuotaStore store = new DynamoDbQuotaStore(dynamo.client(), prefix + TableSchemas.COUNTERS);
    Window day = Window.fixed(Duration.ofDays(1));
    List<CounterKey> stale =
        List.of(
            new CounterKey("removed-policy", ScopeKey.GLOBAL, day),
            new CounterKey("daily-cost", "group=free", day), // daily-cost is global now
            new CounterKey("daily-cost", ScopeKey.GLOBAL, Window.fixed(Duration.ofHours(1)))); // and daily
    for (CounterKey counter : stale) {
      assertInstanceOf(ReserveOutcome.Admitted.class, store.reserve("req-" + counter.hashCode(), List.of(new Draw(counter, 1_000, 5)), NOW));
    }
    dynamo.client().putItem(PutItemRequest.builder().tableName(prefix + TableSchemas.CONFIG)
        .item(Map.of("pk", AttributeValue.fromS("limit#group-hourly"), "sk", AttributeValue.fromS("limit"),
            "metric", AttributeValue.fromS("tokens"), "limit", AttributeValue.fromN("5"), "window", AttributeValue.fromS("1h")))
        .build());

    CliRun run = usage(prefix);
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("No limit counter in " + prefix + "counters has usage in its current window.", run.out().strip());
    assertTrue(run.err().contains("limit#group-hourly") && run.err().contains("metric"), run.err());
  }

  @Test
  void nothingMatchingSaysSo() throws Exception {
    String prefix = tablesWithTraffic();
    CliRun filtered = usage(prefix, "--policy", "free-tpm", "--consumer", "carol");
    assertEquals(0, filtered.exitCode(), filtered.err());
    assertEquals(
        "No limit counter in " + prefix + "counters has usage in its current window for policy free-tpm, consumer carol.",
        filtered.out().strip());
    assertEquals("[]", json(prefix, "--consumer", "nobody", "--model", "mini").toString());

    CliRun empty = usage(freshTables());
    assertEquals(0, empty.exitCode(), empty.err());
    assertTrue(empty.out().startsWith("No limit counter in "), empty.out());
    assertEquals("", empty.err());
  }
}
