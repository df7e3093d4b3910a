package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.ScriptedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The DynamoDB calls one whole request costs, through the real gateway (limit policy, failover
 * gate, settlement) on a {@link DynamoDbQuotaStore} whose SDK client counts every call it makes
 * to the counters table. Each scenario sends {@link #REQUESTS} requests and asserts the calls per
 * request; the table of all of them is printed and written to {@code target/} for
 * {@code bench/RESULTS.md} ("Limits: overhead of a cluster policy"), so the figures quoted there
 * are counted, not modelled.
 */
class DynamoDbQuotaGatewayCallsTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  static final int REQUESTS = 20;
  static final int MAX_TOKENS = 64;
  static final long NEVER_REACHED = 1_000_000_000_000L;
  static final Path TABLE_FILE = Path.of("target", "dynamodb-calls-per-request.md");

  /** One printed row per scenario, keyed by its number: JUnit does not run tests in source order. */
  private static final Map<String, Row> ROWS = new TreeMap<>();

  private record Row(String scenario, Map<String, Integer> calls, int itemsWritten, int requests) {}

  /** Counts calls on one table by operation, and the items they write (a transaction's each count). */
  private static final class CounterTableCalls implements ExecutionInterceptor {
    private final String table;
    private final Map<String, Integer> calls = new TreeMap<>();
    private int itemsWritten;

    CounterTableCalls(String table) {
      this.table = table;
    }

    @Override
    public synchronized void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      SdkRequest request = context.request();
      List<String> tables = tablesOf(request);
      if (!tables.contains(table)) {
        return;
      }
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      calls.merge(operation, 1, Integer::sum);
      switch (operation) {
        case "UpdateItem", "PutItem", "DeleteItem" -> itemsWritten++;
        case "TransactWriteItems" -> itemsWritten += tables.size();
        default -> {}
      }
    }

    /** The table of every item the request addresses (a transaction names one per item). */
    private static List<String> tablesOf(SdkRequest request) {
      if (request instanceof TransactWriteItemsRequest transaction) {
        List<String> tables = new ArrayList<>();
        transaction.transactItems().forEach(item -> {
          if (item.update() != null) tables.add(item.update().tableName());
          if (item.put() != null) tables.add(item.put().tableName());
          if (item.delete() != null) tables.add(item.delete().tableName());
          if (item.conditionCheck() != null) tables.add(item.conditionCheck().tableName());
        });
        return tables;
      }
      if (request instanceof BatchGetItemRequest batch) {
        return List.copyOf(batch.requestItems().keySet());
      }
      return request.getValueForField("TableName", String.class).map(List::of).orElse(List.of());
    }

    synchronized Map<String, Integer> takeCalls() {
      Map<String, Integer> taken = new TreeMap<>(calls);
      calls.clear();
      itemsWritten = 0;
      return taken;
    }

    synchronized int itemsWritten() {
      return itemsWritten;
    }
  }

  /** What the scripted upstream reports as usage; settable between requests. */
  private final AtomicLong reportedTotal = new AtomicLong(1_000);

  private CounterTableCalls counter;
  private DynamoDbClient client;
  private DynamoDbQuotaStore store;

  @BeforeEach
  void countingStore() {
    String prefix = dynamo.freshPrefix();
    String table = prefix + TableSchemas.COUNTERS;
    counter = new CounterTableCalls(table);
    client = dynamo.serverClient(counter);
    TableSchemas.createAll(client, prefix);
    store = new DynamoDbQuotaStore(client, table);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  private GatewayHarness gateway(ConfigItem... limits) {
    List<ConfigItem> items = new ArrayList<>(List.of(ConfigItems.scriptedTarget("chat", "a").build()));
    items.addAll(List.of(limits));
    GatewayHarness gateway = GatewayHarness.withQuotaStore(items, store, MutableClock.AHEAD.plusSeconds(30));
    gateway.provider().on("a", call -> {
      UpstreamResponse answer = ScriptedProvider.answer(call);
      long total = reportedTotal.get();
      Usage usage = new Usage(total - 1, 1, total);
      answer.completion().set("usage", usage.toOpenAi());
      return new UpstreamResponse(answer.completion(), usage);
    });
    return gateway;
  }

  static ConfigItem policy(String name, String metric, long limit, String window, String kind) {
    return ConfigItems.limit(name)
        .with("metric", metric).with("limit", limit).with("window", window).with("windowKind", kind)
        .with("scope", List.of("consumer"))
        .build();
  }

  static ConfigItem fixedTokens(long limit) {
    return policy("tokens-per-minute", "totalTokens", limit, "1m", "fixed");
  }

  private static GatewayResponse send(GatewayHarness gateway) {
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.put("max_tokens", MAX_TOKENS);
    return gateway.chat(Json.text(body));
  }

  /** Sends {@link #REQUESTS} requests, each answered with {@code status}, and the calls each made. */
  private Map<String, Integer> perRequest(String scenario, GatewayHarness gateway, int status) {
    counter.takeCalls();
    for (int i = 0; i < REQUESTS; i++) {
      GatewayResponse response = send(gateway);
      assertEquals(status, response.status(), response.bodyText());
    }
    int items = counter.itemsWritten();
    Map<String, Integer> total = counter.takeCalls();
    ROWS.put(scenario, new Row(scenario.substring(2), total, items, REQUESTS));
    Map<String, Integer> each = new TreeMap<>();
    total.forEach((operation, count) -> {
      assertEquals(0, count % REQUESTS, operation + " is not the same for every request: " + total);
      each.put(operation, count / REQUESTS);
    });
    return each;
  }

  /** The estimate a request reserves: the first add on a fresh counter returns it as the count. */
  private static long estimateOf(GatewayHarness gateway) {
    GatewayResponse first = send(gateway);
    assertEquals(200, first.status(), first.bodyText());
    return NEVER_REACHED - Long.parseLong(first.header("x-ratelimit-remaining-tokens"));
  }

  @Test
  void oneFixedPolicyWhoseEstimateWasRightIsOneConditionalUpdateAndNoSettlement() {
    GatewayHarness gateway = gateway(fixedTokens(NEVER_REACHED));
    reportedTotal.set(estimateOf(gateway));

    assertEquals(Map.of("UpdateItem", 1), perRequest("1 one fixed policy, usage = estimate", gateway, 200));
  }

  @Test
  void oneFixedPolicyIsOneConditionalUpdateAndOneSettlementTransaction() {
    GatewayHarness gateway = gateway(fixedTokens(NEVER_REACHED));

    assertEquals(
        Map.of("UpdateItem", 1, "TransactWriteItems", 1), perRequest("2 one fixed policy, usage != estimate", gateway, 200));
  }

  @Test
  void aSlidingPolicyReadsThePreviousBucketFirst() {
    GatewayHarness gateway = gateway(policy("tokens-sliding-hour", "totalTokens", NEVER_REACHED, "1h", "sliding"));

    assertEquals(
        Map.of("GetItem", 1, "UpdateItem", 1, "TransactWriteItems", 1),
        perRequest("3 one sliding policy, usage != estimate", gateway, 200));
  }

  @Test
  void threePoliciesReserveInOneTransactionAndReadTheirCountsForTheHeadersInOneBatch() {
    GatewayHarness gateway =
        gateway(
            fixedTokens(NEVER_REACHED),
            policy("tokens-sliding-hour", "totalTokens", NEVER_REACHED, "1h", "sliding"),
            policy("requests-per-minute", "requests", NEVER_REACHED, "1m", "fixed"));

    assertEquals(
        Map.of("GetItem", 1, "TransactWriteItems", 2, "BatchGetItem", 1),
        perRequest("4 three policies (fixed + sliding + requests), usage != estimate", gateway, 200));
  }

  @Test
  void aRefusalWhenTheWindowIsSpentIsOneFailedConditionalUpdateAndOneRead() {
    GatewayHarness gateway = gateway(fixedTokens(1_000));
    assertEquals(200, send(gateway).status(), "the first request is admitted and settled to the whole limit");

    assertEquals(Map.of("UpdateItem", 1, "GetItem", 1), perRequest("5 refused (429): window already spent", gateway, 429));
  }

  @Test
  void aRefusalOfARequestLargerThanTheLimitWritesNothing() {
    GatewayHarness gateway = gateway(fixedTokens(MAX_TOKENS));

    assertEquals(Map.of("GetItem", 1), perRequest("6 refused (429): estimate above the whole limit", gateway, 429));
  }

  /** Prints the counts as the markdown table bench/RESULTS.md quotes, and keeps a copy in target/. */
  @AfterAll
  static void printTable() throws IOException {
    List<String> operations = List.of("UpdateItem", "TransactWriteItems", "GetItem", "BatchGetItem");
    StringBuilder table = new StringBuilder();
    table.append("DynamoDB calls per request on the counters table, counted by an SDK interceptor (")
        .append(REQUESTS).append(" requests per scenario, `DynamoDbQuotaGatewayCallsTest`):\n\n");
    table.append("| scenario | ").append(String.join(" | ", operations)).append(" | calls | write calls | items in write calls |\n");
    table.append("|---|").append("---:|".repeat(operations.size() + 3)).append('\n');
    for (Row row : ROWS.values()) {
      Map<String, Integer> calls = new LinkedHashMap<>(row.calls());
      int all = calls.values().stream().mapToInt(Integer::intValue).sum();
      int writes = calls.getOrDefault("UpdateItem", 0) + calls.getOrDefault("TransactWriteItems", 0);
      table.append("| ").append(row.scenario()).append(" | ");
      for (String operation : operations) {
        table.append(perRequestText(calls.getOrDefault(operation, 0), row.requests())).append(" | ");
      }
      table.append(perRequestText(all, row.requests())).append(" | ")
          .append(perRequestText(writes, row.requests())).append(" | ")
          .append(perRequestText(row.itemsWritten(), row.requests())).append(" |\n");
    }
    System.out.println(table);
    Files.createDirectories(TABLE_FILE.getParent());
    Files.writeString(TABLE_FILE, table);
  }

  private static String perRequestText(int count, int requests) {
    return count % requests == 0 ? Integer.toString(count / requests) : String.format("%.2f", (double) count / requests);
  }
}
