package dev.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.testing.StandardProviders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The human-edited document and the table items it stands for, both ways, and its structural errors. */
class ConfigDocumentTest {

  private static final String HASH_A = "0".repeat(63) + "a";
  private static final String HASH_B = "b".repeat(64);

  /** A document that sets every field the gateway knows. */
  private static final String FULL =
      """
      {'settings': {'maxAttempts': 4, 'maxRequestBytes': 2048, 'requestTimeoutMs': 20000, 'description': 'prod',
         'auditRetentionDays': 90},
       'models': {
         'chat': {'maxAttempts': 2, 'description': 'general chat', 'auditPayloads': true, 'strategy': 'balanced',
           'probeShare': 0.1,
           'targets': [
             {'id': 'openai-main', 'provider': 'openai', 'model': 'gpt-4o-mini', 'credential': 'env:OPENAI_API_KEY',
              'weight': 60, 'priority': 1, 'timeoutMs': 15000, 'enabled': true,
              'priceInputPerMillion': 0.15, 'priceOutputPerMillion': 0.6, 'description': 'main'},
             {'id': 'azure-east', 'provider': 'azure-openai', 'model': 'gpt-4o', 'baseUrl': 'https://east.openai.azure.com',
              'credential': 'secret:tollgate/azure#east', 'weight': 40, 'priority': 1, 'apiVersion': '2024-10-21'},
             {'id': 'echo', 'provider': 'mock', 'priority': 2, 'latencyMs': 5, 'enabled': false}]},
         'local': {'targets': [{'id': 'ollama', 'provider': 'ollama', 'model': 'llama3.1:8b'}]}},
       'keys': [
         {'sha256': '%s', 'consumer': 'search', 'group': 'team-a', 'models': ['chat'], 'enabled': true,
          'description': 'search service', 'createdAt': '2026-01-01T00:00:00Z'},
         {'sha256': '%s', 'consumer': 'admin', 'models': ['*'], 'enabled': false}],
       'limits': {
         'monthly-cost': {'metric': 'costUsd', 'limit': 250.5, 'window': '30d'},
         'team-tokens': {'description': 'per team per model', 'metric': 'totalTokens', 'limit': 200000, 'window': '1m',
           'windowKind': 'sliding', 'scope': ['group', 'route', 'header:x-tenant', 'metadata:project'],
           'models': ['chat'], 'targets': ['openai-main'], 'groups': ['team-a'], 'consumers': ['search'],
           'mode': 'local', 'onStoreFailure': 'failOpen', 'defaultMaxTokens': 512, 'clampMaxTokens': true}},
       'prices': {
         'anthropic.claude-3-5-sonnet-20241022-v2:0': {'description': 'Bedrock list price', 'inputPerMillion': 3,
           'outputPerMillion': 15, 'cachedInputPerMillion': 0.3},
         'gpt-4o': {'inputPerMillion': 2.5, 'outputPerMillion': 10, 'cachedInputPerMillion': 1.25},
         'local': {'inputPerMillion': 0, 'outputPerMillion': 0}}}
      """
          .formatted(HASH_A, HASH_B);

  private static JsonNode doc(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'));
  }

  private static List<ConfigError> structuralErrors(String document) {
    List<ConfigError> errors = new ArrayList<>();
    ConfigDocument.toItems(doc(document), errors);
    return errors;
  }

  private static ConfigError onlyStructuralError(String document) {
    List<ConfigError> errors = structuralErrors(document);
    assertEquals(1, errors.size(), errors.toString());
    return errors.getFirst();
  }

  @Test
  void aDocumentBecomesTableItemsWithReadableLocations() {
    List<ConfigError> errors = new ArrayList<>();

    List<ConfigItem> items = ConfigDocument.toItems(doc(FULL), errors);

    assertEquals(List.of(), errors);
    List<String> keys = items.stream().map(i -> i.pk() + " " + i.sk() + " @ " + i.location()).toList();
    assertEquals(
        List.of(
            "settings global @ settings",
            "route#chat route @ models.chat",
            "route#chat target#openai-main @ models.chat.targets[0]",
            "route#chat target#azure-east @ models.chat.targets[1]",
            "route#chat target#echo @ models.chat.targets[2]",
            "route#local route @ models.local",
            "route#local target#ollama @ models.local.targets[0]",
            "key#" + HASH_A + " key @ keys[0]",
            "key#" + HASH_B + " key @ keys[1]",
            "limit#monthly-cost limit @ limits.monthly-cost",
            "limit#team-tokens limit @ limits.team-tokens",
            "price#anthropic.claude-3-5-sonnet-20241022-v2:0 price @ prices.anthropic.claude-3-5-sonnet-20241022-v2:0",
            "price#gpt-4o price @ prices.gpt-4o",
            "price#local price @ prices.local"),
        keys);
    assertTrue(items.get(2).attributes().get("id") == null, "the id lives in the sort key only");
    assertTrue(items.get(7).attributes().get("sha256") == null, "the hash lives in the partition key only");
  }

  @Test
  void everyFieldOfTheFullDocumentIsValid() {
    List<ConfigItem> items = ConfigDocument.toItems(doc(FULL), new ArrayList<>());

    ValidatedConfig validated = new ConfigValidator(StandardProviders.registry()).validate(items, Instant.EPOCH);

    assertEquals(List.of(), validated.errors());
    assertEquals(3, validated.config().route("chat").orElseThrow().targets().size());
    assertTrue(validated.config().route("chat").orElseThrow().auditPayloads());
    assertEquals(dev.tollgate.routing.Strategy.BALANCED, validated.config().route("chat").orElseThrow().strategy());
    assertEquals(0.1, validated.config().route("chat").orElseThrow().probeShare());
    assertEquals(90, validated.config().settings().auditRetentionDays());
    assertEquals(2, validated.config().consumersByKeyHash().size());
    assertEquals(
        List.of("monthly-cost", "team-tokens"), validated.config().limits().stream().map(p -> p.name()).toList());
    assertEquals(250_500_000, validated.config().limits().getFirst().limit());
    assertEquals(
        java.util.Set.of("anthropic.claude-3-5-sonnet-20241022-v2:0", "gpt-4o", "local"), validated.config().prices().keySet());
    assertEquals(0, new java.math.BigDecimal("1.25").compareTo(validated.config().prices().get("gpt-4o").cachedInputPerMillion()));
    assertEquals(0, validated.config().prices().get("local").cachedInputPerMillion().signum());
  }

  @Test
  void documentToItemsToDocumentPreservesEveryField() {
    JsonNode original = doc(FULL);

    ObjectNode roundTripped = ConfigDocument.fromItems(ConfigDocument.toItems(original, new ArrayList<>()));

    assertEquals(original, roundTripped);
  }

  @Test
  void itemsToDocumentToItemsPreservesEveryItem() {
    List<ConfigItem> items = ConfigDocument.toItems(doc(FULL), new ArrayList<>());

    List<ConfigItem> again = ConfigDocument.toItems(ConfigDocument.fromItems(items), new ArrayList<>());

    assertEquals(items.size(), again.size());
    for (int i = 0; i < items.size(); i++) {
      assertEquals(items.get(i).pk(), again.get(i).pk());
      assertEquals(items.get(i).sk(), again.get(i).sk());
      assertEquals(items.get(i).attributes(), again.get(i).attributes());
    }
  }

  @Test
  void anEmptyDocumentHasNoItems() {
    List<ConfigError> errors = new ArrayList<>();

    assertTrue(ConfigDocument.toItems(null, errors).isEmpty());
    assertTrue(ConfigDocument.toItems(Json.parse("{}"), errors).isEmpty());
    assertEquals(List.of(), errors);
  }

  @Test
  void anUnknownTopLevelSectionIsAnError() {
    ConfigError error = onlyStructuralError("{'model': {}, 'keys': []}");

    assertEquals(
        "model: expected one of the sections settings, models, keys, limits, prices, guards, decorators, templates, filters, guardrails, rules, rag, caches",
        error.message());
  }

  @Test
  void theDocumentMustBeAMapping() {
    assertEquals("(document)", onlyStructuralError("['settings']").location());
  }

  @Test
  void settingsMustBeAMapping() {
    ConfigError error = onlyStructuralError("{'settings': [1]}");

    assertEquals("settings", error.location());
    assertTrue(error.message().contains("a mapping of setting names to values"), error.message());
  }

  @Test
  void modelsMustBeAMappingOfAliases() {
    assertEquals("models", onlyStructuralError("{'models': ['chat']}").location());
    assertEquals("models.chat", onlyStructuralError("{'models': {'chat': 'gpt-4o'}}").location());
  }

  @Test
  void targetsMustBeANonEmptyList() {
    for (String targets : List.of("{'id': 'a', 'provider': 'mock'}", "[]", "'a'")) {
      ConfigError error = onlyStructuralError("{'models': {'chat': {'targets': " + targets + "}}}");

      assertEquals("models.chat", error.location(), targets);
      assertEquals("targets", error.field());
      assertTrue(error.message().endsWith("expected a non-empty list of targets"), error.message());
    }
    ConfigError missing = onlyStructuralError("{'models': {'chat': {'maxAttempts': 2}}}");
    assertEquals("models.chat: targets is missing: expected a non-empty list of targets", missing.message());
  }

  @Test
  void aTargetNeedsATextId() {
    ConfigError error =
        onlyStructuralError("{'models': {'chat': {'targets': [{'id': 'a', 'provider': 'mock'}, {'id': 7, 'provider': 'mock'}]}}}");

    assertEquals("models.chat.targets[1]", error.location());
    assertEquals("id", error.field());
    assertEquals("7", error.value());
  }

  @Test
  void aDuplicateTargetIdIsAnErrorAndTheFirstIsKept() {
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items =
        ConfigDocument.toItems(
            doc("{'models': {'chat': {'targets': [{'id': 'a', 'provider': 'mock'}, {'id': 'a', 'provider': 'openai'}]}}}"),
            errors);

    assertEquals(1, errors.size());
    assertEquals("models.chat.targets[1]: id = \"a\": expected an id not used by another target of chat", errors.getFirst().message());
    List<ConfigItem> targets = items.stream().filter(i -> i.sk().startsWith(ItemKeys.TARGET_PREFIX)).toList();
    assertEquals(1, targets.size());
    assertEquals("mock", targets.getFirst().attributes().path("provider").asText());
  }

  @Test
  void keysMustBeAListOfEntriesWithAHash() {
    assertEquals("keys", onlyStructuralError("{'keys': {'sha256': 'x'}}").location());

    ConfigError error = onlyStructuralError("{'keys': [{'consumer': 'bob', 'models': ['*']}]}");

    assertEquals("keys[0]", error.location());
    assertEquals("sha256", error.field());
    assertTrue(error.message().contains("keys[0]: sha256 is missing: expected the SHA-256 of the key"), error.message());
  }

  @Test
  void limitsMustBeAMappingOfPolicyNames() {
    assertEquals("limits", onlyStructuralError("{'limits': [{'metric': 'requests'}]}").location());

    ConfigError error = onlyStructuralError("{'limits': {'rpm': 600}}");

    assertEquals("limits.rpm: expected a mapping with metric, limit, window and optional scope and filters", error.message());
  }

  @Test
  void aLimitsNameBecomesItsPartitionKeyAndExportsInReadingOrder() {
    List<ConfigItem> items =
        ConfigDocument.toItems(doc("{'limits': {'rpm': {'scope': ['consumer'], 'window': '1m', 'limit': 600, 'metric': 'requests'}}}"),
            new ArrayList<>());

    assertEquals(ItemKeys.limitPk("rpm"), items.getFirst().pk());
    assertEquals(ItemKeys.LIMIT_SK, items.getFirst().sk());
    List<String> order = new ArrayList<>();
    ConfigDocument.fromItems(items).get("limits").get("rpm").fieldNames().forEachRemaining(order::add);
    assertEquals(List.of("metric", "limit", "window", "scope"), order);
  }

  @Test
  void pricesMustBeAMappingOfModelNames() {
    assertEquals("prices", onlyStructuralError("{'prices': [{'inputPerMillion': 1}]}").location());

    ConfigError error = onlyStructuralError("{'prices': {'gpt-4o': 2.5}}");

    assertEquals(
        "prices.gpt-4o: expected a mapping with inputPerMillion, outputPerMillion and optional cachedInputPerMillion",
        error.message());
  }

  @Test
  void aPricesModelBecomesItsPartitionKeyAndExportsSortedByModelInReadingOrder() {
    List<ConfigItem> items =
        ConfigDocument.toItems(
            doc("{'prices': {'gpt-4o': {'cachedInputPerMillion': 1.25, 'outputPerMillion': 10, 'description': 'list',"
                + " 'inputPerMillion': 2.5}, 'deepseek-ai/DeepSeek-V3': {'outputPerMillion': 1.1, 'inputPerMillion': 0.27}}}"),
            new ArrayList<>());

    assertEquals(ItemKeys.pricePk("gpt-4o"), items.getFirst().pk());
    assertEquals(ItemKeys.PRICE_SK, items.getFirst().sk());
    ObjectNode exported = (ObjectNode) ConfigDocument.fromItems(items).get("prices");
    List<String> models = new ArrayList<>();
    exported.fieldNames().forEachRemaining(models::add);
    assertEquals(List.of("deepseek-ai/DeepSeek-V3", "gpt-4o"), models);
    List<String> order = new ArrayList<>();
    exported.get("gpt-4o").fieldNames().forEachRemaining(order::add);
    assertEquals(List.of("description", "inputPerMillion", "outputPerMillion", "cachedInputPerMillion"), order);
  }

  @Test
  void structuralErrorsDoNotStopTheRestOfTheDocument() {
    List<ConfigError> errors = new ArrayList<>();

    List<ConfigItem> items =
        ConfigDocument.toItems(
            doc("{'extra': 1, 'models': {'broken': 5, 'chat': {'targets': [{'id': 'a', 'provider': 'mock'}]}}, 'keys': [3]}"),
            errors);

    assertEquals(3, errors.size(), errors.toString());
    assertTrue(items.stream().anyMatch(i -> i.sk().equals("target#a")));
  }
}
