package dev.tollgate.aws;

import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.ValidatedConfig;
import dev.tollgate.limit.LimitMatch;
import dev.tollgate.limit.LimitPolicy;
import dev.tollgate.limit.LimitScope;
import dev.tollgate.limit.ModelPrice;
import dev.tollgate.limit.Window;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.StandardProviders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link DynamoDbConfigWriter} and {@link DynamoDbConfigSource} against DynamoDB Local: what is
 * applied is read back as it was, large configs land whole, prune removes only stale routing.
 */
class DynamoDbConfigWriterTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private DynamoDbConfigWriter writer;
  private DynamoDbConfigSource source;
  private String table;

  @BeforeEach
  void freshTable() {
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    table = prefix + TableSchemas.CONFIG;
    writer = new DynamoDbConfigWriter(dynamo.client(), prefix + TableSchemas.CONFIG);
    source = new DynamoDbConfigSource(dynamo.client(), prefix + TableSchemas.CONFIG);
  }

  private Map<String, ConfigItem> stored() {
    return source.load().stream()
        .collect(Collectors.toMap(item -> item.pk() + " " + item.sk(), item -> item, (a, b) -> a, TreeMap::new));
  }

  private static ConfigItem target(String alias, String id) {
    return ConfigItems.target(alias, id, Map.of("provider", "mock", "model", "echo"));
  }

  @Test
  void appliedItemsReadBackEqualWhateverTheirTypes() {
    ObjectNode nested =
        (ObjectNode)
            Json.parse(
                """
                {"provider": "azure-openai", "model": "gpt-4o", "baseUrl": "https://example.openai.azure.com",
                 "credential": "secret:tollgate/azure#key", "weight": 60, "priority": 0, "timeoutMs": 12000,
                 "enabled": false, "priceInputPerMillion": 2.5, "priceOutputPerMillion": 0.075,
                 "apiVersion": "2024-10-21",
                 "extra": {"tags": ["eu", "prod"], "limits": {"rpm": 600, "burst": 1.5, "cap": 9007199254740993},
                           "none": null, "empty": {}, "list": [1, "two", true, null, [3.25]]}}
                """);
    List<ConfigItem> items =
        List.of(
            ConfigItems.settings(Map.of("maxAttempts", 2, "requestTimeoutMs", 20_000, "description", "wire test")),
            ConfigItems.route("chat", Map.of("maxAttempts", 3)),
            new ConfigItem(ItemKeys.routePk("chat"), ItemKeys.targetSk("azure"), nested, "azure"),
            ConfigItems.apiKey());

    DynamoDbConfigWriter.Applied applied = writer.apply(items, false);

    assertEquals(new DynamoDbConfigWriter.Applied(4, 0, 1), applied);
    Map<String, ConfigItem> stored = stored();
    assertEquals(4, stored.size());
    for (ConfigItem item : items) {
      ConfigItem back = stored.get(item.pk() + " " + item.sk());
      assertSameJson(item.attributes(), back.attributes());
    }
    ObjectNode azure = stored.get("route#chat target#azure").attributes();
    assertTrue(azure.get("weight").isIntegralNumber());
    assertFalse(azure.get("priceOutputPerMillion").isIntegralNumber());
    assertTrue(azure.get("enabled").isBoolean());
    assertEquals(9007199254740993L, azure.at("/extra/limits/cap").longValue()); // beyond a double's precision
    assertTrue(azure.at("/extra/none").isNull());
  }

  @Test
  void aLimitPolicyPutWithTheAwsCliItemShapeLoadsAsThePolicy() {
    // The attribute types an operator writes by hand: S, N, L of S, BOOL.
    dynamo.client().putItem(put -> put.tableName(table).item(Map.of(
        "pk", AttributeValue.fromS("limit#team-budget"), "sk", AttributeValue.fromS("limit"),
        "metric", AttributeValue.fromS("costUsd"), "limit", AttributeValue.fromN("12.75"),
        "window", AttributeValue.fromS("30d"), "windowKind", AttributeValue.fromS("sliding"),
        "scope", AttributeValue.fromL(List.of(AttributeValue.fromS("group"), AttributeValue.fromS("route"))),
        "onStoreFailure", AttributeValue.fromS("failOpen"), "clampMaxTokens", AttributeValue.fromBool(false))));

    ValidatedConfig validated =
        new ConfigValidator(StandardProviders.registry()).validate(source.load(), java.time.Instant.EPOCH);

    assertEquals(List.of(), validated.errors());
    LimitPolicy policy = validated.config().limits().getFirst();
    assertEquals(
        new LimitPolicy("team-budget", LimitPolicy.Metric.COST_USD, 12_750_000,
            Window.sliding(java.time.Duration.ofDays(30)),
            List.of(LimitScope.parse("group").orElseThrow(), LimitScope.parse("route").orElseThrow()), LimitMatch.ANY,
            LimitPolicy.Mode.CLUSTER, LimitPolicy.StoreFailure.FAIL_OPEN, LimitPolicy.DEFAULT_MAX_TOKENS, false),
        policy);
  }

  @Test
  void aModelPricePutWithTheAwsCliItemShapeLoadsIntoThePriceTable() {
    // As an operator writes it by hand: prices are N, so they arrive as exact decimals.
    dynamo.client().putItem(put -> put.tableName(table).item(Map.of(
        "pk", AttributeValue.fromS("price#anthropic.claude-3-5-sonnet-20241022-v2:0"), "sk", AttributeValue.fromS("price"),
        "inputPerMillion", AttributeValue.fromN("3"), "outputPerMillion", AttributeValue.fromN("15.00"),
        "cachedInputPerMillion", AttributeValue.fromN("0.30"), "description", AttributeValue.fromS("Bedrock list price"))));
    dynamo.client().putItem(put -> put.tableName(table).item(Map.of(
        "pk", AttributeValue.fromS("price#deepseek-ai/DeepSeek-V3"), "sk", AttributeValue.fromS("price"),
        "inputPerMillion", AttributeValue.fromN("0.27"), "outputPerMillion", AttributeValue.fromN("1.1"))));

    ValidatedConfig validated =
        new ConfigValidator(StandardProviders.registry()).validate(source.load(), java.time.Instant.EPOCH);

    assertEquals(List.of(), validated.errors());
    // DynamoDB keeps a number's value, not its trailing zeros.
    Map<String, String> prices = new TreeMap<>();
    validated.config().prices().forEach((model, price) -> prices.put(model, shown(price)));
    assertEquals(
        Map.of("anthropic.claude-3-5-sonnet-20241022-v2:0", "3 15 0.3", "deepseek-ai/DeepSeek-V3", "0.27 1.1 0.27"), prices);
  }

  private static String shown(ModelPrice price) {
    return Stream.of(price.inputPerMillion(), price.outputPerMillion(), price.cachedInputPerMillion())
        .map(value -> value.stripTrailingZeros().toPlainString())
        .collect(Collectors.joining(" "));
  }

  @Test
  void moreThanOneHundredItemsGoInSeveralTransactionsAndAllLand() {
    List<ConfigItem> items = new ArrayList<>();
    items.add(ConfigItems.apiKey());
    for (int i = 0; i < 230; i++) {
      items.add(target("alias-" + (i % 7), "target-" + i));
    }

    DynamoDbConfigWriter.Applied applied = writer.apply(items, false);

    assertEquals(new DynamoDbConfigWriter.Applied(231, 0, 3), applied);
    Set<String> expected = items.stream().map(item -> item.pk() + " " + item.sk()).collect(Collectors.toSet());
    assertEquals(expected, stored().keySet());
  }

  @Test
  void pruneDeletesOnlyRoutesAndTargetsMissingFromTheNewSet() {
    writer.apply(
        List.of(
            ConfigItems.settings(Map.of("maxAttempts", 2)),
            ConfigItems.apiKey(),
            ConfigItems.route("chat", Map.of("maxAttempts", 2)),
            target("chat", "a"),
            target("chat", "b"),
            ConfigItems.route("old", Map.of()),
            target("old", "x")),
        false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a"), target("new", "y")), true);

    assertEquals(new DynamoDbConfigWriter.Applied(2, 4, 1), applied);
    assertEquals(
        Set.of(
            "settings global",
            ItemKeys.keyPk(dev.tollgate.auth.ApiKeys.hash(GatewayHarness.API_KEY)) + " key",
            "route#chat target#a",
            "route#new target#y"),
        stored().keySet());
  }

  @Test
  void pruneAlsoDeletesLimitPoliciesMissingFromTheNewSet() {
    writer.apply(
        List.of(
            target("chat", "a"),
            ConfigItems.limit("kept").with("metric", "requests").build(),
            ConfigItems.limit("gone").with("metric", "requests").build()),
        false);

    DynamoDbConfigWriter.Applied applied =
        writer.apply(List.of(target("chat", "a"), ConfigItems.limit("kept").with("metric", "requests").build()), true);

    assertEquals(1, applied.deleted());
    assertEquals(Set.of("route#chat target#a", "limit#kept limit"), stored().keySet());
  }

  @Test
  void pruneAlsoDeletesPromptPoliciesMissingFromTheNewSetAndKeepsTheirNestedLists() {
    ConfigItem guard = ConfigItems.guard("kept").with("deny", List.of("(?i)secret")).build();
    ConfigItem decorator =
        ConfigItems.decorator("kept").with("prepend", List.of(Map.of("role", "system", "content", "Be kind."))).build();
    ConfigItem template =
        ConfigItems.template("kept").with("messages", List.of(Map.of("role", "user", "content", "{{q}}"))).build();
    writer.apply(
        List.of(target("chat", "a"), guard, decorator, template, ConfigItems.guard("gone").with("deny", List.of("x")).build(),
            ConfigItems.decorator("gone").build(), ConfigItems.template("gone").build()),
        false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a"), guard, decorator, template), true);

    assertEquals(3, applied.deleted());
    assertEquals(
        Set.of("route#chat target#a", "guard#kept guard", "decorator#kept decorator", "template#kept template"),
        stored().keySet());
    assertEquals(decorator.attributes(), stored().get("decorator#kept decorator").attributes());
    assertEquals(template.attributes(), stored().get("template#kept template").attributes());
  }

  @Test
  void pruneAlsoDeletesModelPricesMissingFromTheNewSet() {
    ConfigItem kept = ConfigItems.price("gpt-4o").with("inputPerMillion", 2.5).with("outputPerMillion", 10).build();
    ConfigItem gone = ConfigItems.price("deepseek-ai/DeepSeek-V3").with("inputPerMillion", 0.27).build();
    writer.apply(List.of(target("chat", "a"), ConfigItems.apiKey(), kept, gone), false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a"), kept), true);

    assertEquals(1, applied.deleted());
    assertEquals(
        Set.of(
            "route#chat target#a",
            ItemKeys.keyPk(dev.tollgate.auth.ApiKeys.hash(GatewayHarness.API_KEY)) + " key",
            "price#gpt-4o price"),
        stored().keySet());
  }

  @Test
  void pruneAlsoDeletesGuardrailsMissingFromTheNewSet() {
    ConfigItem kept = ConfigItems.item(ItemKeys.guardrailPk("kept"), ItemKeys.GUARDRAIL_SK).with("guardrailId", "gr1").build();
    ConfigItem gone = ConfigItems.item(ItemKeys.guardrailPk("gone"), ItemKeys.GUARDRAIL_SK).with("guardrailId", "gr2").build();
    writer.apply(List.of(target("chat", "a"), kept, gone), false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a"), kept), true);

    assertEquals(1, applied.deleted());
    assertEquals(Set.of("route#chat target#a", "guardrail#kept guardrail"), stored().keySet());
  }

  @Test
  void pruneAlsoDeletesRoutingRulesMissingFromTheNewSetAndKeepsTheirPatternMaps() {
    ConfigItem kept = ConfigItems.item(ItemKeys.rulePk("kept"), ItemKeys.RULE_SK).with("to", "chat")
        .with("headers", Map.of("x-team", "^platform$")).with("hasCode", true).build();
    ConfigItem gone = ConfigItems.item(ItemKeys.rulePk("gone"), ItemKeys.RULE_SK).with("to", "chat").build();
    writer.apply(List.of(target("chat", "a"), kept, gone), false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a"), kept), true);

    assertEquals(1, applied.deleted());
    assertEquals(Set.of("route#chat target#a", "rule#kept rule"), stored().keySet());
    assertEquals(kept.attributes(), stored().get("rule#kept rule").attributes());
  }

  @Test
  void pruneAlsoDeletesRetrievalPoliciesMissingFromTheNewSetAndKeepsTheirFilters() {
    ConfigItem kept = ConfigItems.item(ItemKeys.ragPk("kept"), ItemKeys.RAG_SK).with("kb", "handbook")
        .with("filter", Map.of("audience", "public")).with("topK", 6).build();
    ConfigItem gone = ConfigItems.item(ItemKeys.ragPk("gone"), ItemKeys.RAG_SK).with("kb", "legal").build();
    writer.apply(List.of(target("chat", "a"), kept, gone), false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a"), kept), true);

    assertEquals(1, applied.deleted());
    assertEquals(Set.of("route#chat target#a", "rag#kept rag"), stored().keySet());
    assertSameJson(kept.attributes(), stored().get("rag#kept rag").attributes());
  }

  @Test
  void pruneAlsoDeletesCachePoliciesMissingFromTheNewSet() {
    ConfigItem kept = ConfigItems.item(ItemKeys.cachePk("kept"), ItemKeys.CACHE_SK).with("mode", "exact").build();
    ConfigItem gone = ConfigItems.item(ItemKeys.cachePk("gone"), ItemKeys.CACHE_SK).with("mode", "semantic").build();
    writer.apply(List.of(target("chat", "a"), kept, gone), false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a"), kept), true);

    assertEquals(1, applied.deleted());
    assertEquals(Set.of("route#chat target#a", "cache#kept cache"), stored().keySet());
  }

  @Test
  void withoutPruneNothingIsDeleted() {
    writer.apply(List.of(target("chat", "a"), target("chat", "b")), false);

    DynamoDbConfigWriter.Applied applied = writer.apply(List.of(target("chat", "a")), false);

    assertEquals(0, applied.deleted());
    assertEquals(Set.of("route#chat target#a", "route#chat target#b"), stored().keySet());
  }

  @Test
  void applyOverwritesAnItemWhole() {
    writer.apply(List.of(ConfigItems.target("chat", "a", Map.of("provider", "mock", "weight", 5, "description", "old"))), false);

    writer.apply(List.of(ConfigItems.target("chat", "a", Map.of("provider", "mock", "weight", 7))), false);

    assertSameJson(Json.parse("{\"provider\":\"mock\",\"weight\":7}"), stored().get("route#chat target#a").attributes());
  }

  @Test
  void insertRefusesAKeyThatIsAlreadyThere() {
    ConfigItem first = ConfigItems.apiKey();
    ConfigItem second = new ConfigItem(first.pk(), first.sk(), Json.object().put("consumer", "intruder"), "again");

    assertTrue(writer.insert(first));
    assertFalse(writer.insert(second));

    assertEquals("tests", stored().get(first.pk() + " " + first.sk()).attributes().path("consumer").asText());
  }
}
