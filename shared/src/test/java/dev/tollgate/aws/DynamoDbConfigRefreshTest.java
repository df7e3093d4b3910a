package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The gateway reading its config from a DynamoDB table: an edit made straight in the table (as
 * {@code aws dynamodb update-item} would) changes routing once the refresh interval has passed,
 * and an item written wrong is skipped and counted while its valid siblings keep serving.
 */
class DynamoDbConfigRefreshTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();
  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final Duration REFRESH = Duration.ofSeconds(10);

  private String table;

  @BeforeEach
  void configInTheTable() {
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    table = prefix + TableSchemas.CONFIG;
    for (String target : List.of("a", "b")) {
      upstream.stubFor(
          post(urlPathEqualTo("/" + target + "/chat/completions")).willReturn(FakeUpstream.answers("from " + target)));
    }
    new DynamoDbConfigWriter(dynamo.client(), table)
        .apply(List.of(ConfigItems.apiKey(), target("a", 1), target("b", 2)), false);
  }

  private static dev.tollgate.config.ConfigItem target(String id, int priority) {
    return ConfigItems.target(
        "chat",
        id,
        Map.of(
            "provider", "openai-compatible",
            "model", "model-" + id,
            "baseUrl", FakeUpstream.baseUrl(upstream) + "/" + id,
            "priority", priority));
  }

  private GatewayHarness gateway() {
    return GatewayHarness.withStandardProviders(new DynamoDbConfigSource(dynamo.client(), table), Map.of(), REFRESH);
  }

  private void update(String targetId, String expression, Map<String, AttributeValue> values) {
    dynamo
        .client()
        .updateItem(
            UpdateItemRequest.builder()
                .tableName(table)
                .key(
                    Map.of(
                        ItemKeys.PK, AttributeValue.fromS(ItemKeys.routePk("chat")),
                        ItemKeys.SK, AttributeValue.fromS(ItemKeys.targetSk(targetId))))
                .updateExpression(expression)
                .expressionAttributeValues(values)
                .build());
  }

  private static String answeredBy(GatewayResponse response) {
    assertEquals(200, response.status(), response.bodyText());
    return response.header(Gateway.TARGET);
  }

  @Test
  void anEditInTheTableChangesRoutingOnceTheRefreshIntervalHasPassed() {
    GatewayHarness gateway = gateway();
    assertEquals("a", answeredBy(gateway.chatWith("chat")));

    update("a", "SET enabled = :off", Map.of(":off", AttributeValue.fromBool(false)));
    gateway.clock().advance(REFRESH.minusSeconds(1));
    assertEquals("a", answeredBy(gateway.chatWith("chat")), "the snapshot is still fresh");

    gateway.clock().advance(Duration.ofSeconds(1));
    assertEquals("b", answeredBy(gateway.chatWith("chat")));

    update("a", "SET enabled = :on, weight = :zero", Map.of(":on", AttributeValue.fromBool(true), ":zero", AttributeValue.fromN("0")));
    gateway.clock().advance(REFRESH);
    assertEquals("b", answeredBy(gateway.chatWith("chat")), "weight 0 takes no traffic");

    update("a", "SET weight = :five", Map.of(":five", AttributeValue.fromN("5")));
    gateway.clock().advance(REFRESH);
    assertEquals("a", answeredBy(gateway.chatWith("chat")));

    assertEquals(3, upstream.findAll(anyRequestedFor(urlPathEqualTo("/a/chat/completions"))).size());
    assertEquals(2, upstream.findAll(anyRequestedFor(urlPathEqualTo("/b/chat/completions"))).size());
    assertEquals(0, gateway.metrics().sum(MetricNames.CONFIG_ITEMS_REJECTED));
  }

  @Test
  void itemsWrittenWrongAreSkippedAndCountedWhileTheirSiblingsServe() {
    // Each would outrank "a" (priority 0) if it were accepted.
    putRawTarget("negative-weight", Map.of("weight", AttributeValue.fromN("-5")));
    putRawTarget("typo", Map.of("wieght", AttributeValue.fromN("3")));
    putRawTarget("weight-as-text", Map.of("weight", AttributeValue.fromS("5")));
    putRawTarget("weight-beyond-long", Map.of("weight", AttributeValue.fromN("18446744073709551617")));
    GatewayHarness gateway = gateway();

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals("a", answeredBy(response));
    assertEquals(4, gateway.metrics().sum(MetricNames.CONFIG_ITEMS_REJECTED));
    assertEquals(0, upstream.findAll(anyRequestedFor(urlPathMatching("/bad/.*"))).size());
  }

  private void putRawTarget(String id, Map<String, AttributeValue> extra) {
    Map<String, AttributeValue> item =
        new java.util.HashMap<>(
            Map.of(
                ItemKeys.PK, AttributeValue.fromS(ItemKeys.routePk("chat")),
                ItemKeys.SK, AttributeValue.fromS(ItemKeys.targetSk(id)),
                "provider", AttributeValue.fromS("openai-compatible"),
                "model", AttributeValue.fromS("model-bad"),
                "baseUrl", AttributeValue.fromS(FakeUpstream.baseUrl(upstream) + "/bad"),
                "priority", AttributeValue.fromN("0")));
    item.putAll(extra);
    dynamo.client().putItem(PutItemRequest.builder().tableName(table).item(item).build());
  }
}
