package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.rag.RagRule;
import dev.tollgate.testing.ConfigItems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Retrieval policy items: defaults, every field read or refused with a precise error, the order, the document both ways. */
class RagReaderTest {

  private static ConfigItems.Builder rag(String name) {
    return ConfigItems.item(ItemKeys.ragPk(name), ItemKeys.RAG_SK).with("kb", "handbook");
  }

  private static RagRule only(ConfigItem item) {
    ValidatedConfig validated = validate(item);
    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().rag().size());
    return validated.config().rag().getFirst();
  }

  @Test
  void theSmallestPolicyGroundsEveryRequestWithTheDefaults() {
    RagRule rule = only(rag("handbook").build());
    assertEquals(
        new RagRule("handbook", "handbook", Set.of(), Set.of(), 4, 0.0, Map.of(), RagRule.Inject.SYSTEM, RagRule.OnError.ANSWER,
            6000, 0, false, false),
        rule);
  }

  @Test
  void everyFieldIsRead() {
    RagRule rule = only(rag("support").with("description", "support answers from the handbook").with("order", -5)
        .with("models", List.of("chat", "gpt-4o")).with("groups", List.of("support")).with("topK", 8).with("minScore", 0.35)
        .with("filter", Map.of("audience", "public", "version", 2)).with("inject", "user").with("onError", "fail")
        .with("maxContextChars", 12000).with("optional", true).with("onRequest", true).build());
    assertEquals(
        new RagRule("support", "handbook", Set.of("chat", "gpt-4o"), Set.of("support"), 8, 0.35,
            Map.of("audience", "public", "version", "2"), RagRule.Inject.USER, RagRule.OnError.FAIL, 12000, -5, true, true),
        rule);
  }

  @Test
  void badValuesAreReportedPrecisely() {
    onlyError(rag("r").without("kb").build(), "kb", "a knowledge base id of 1 to 64 characters");
    onlyError(rag("r").with("kb", "has space").build(), "kb", "a knowledge base id");
    onlyError(rag("r").with("kb", "none").build(), "kb", "'none' is what requests send to ask for no retrieval");
    onlyError(rag("r").with("topK", 0).build(), "topK", "an integer from 1 to 20");
    onlyError(rag("r").with("topK", 21).build(), "topK", "an integer from 1 to 20");
    onlyError(rag("r").with("minScore", 1.5).build(), "minScore", "a number from 0 to 1");
    onlyError(rag("r").with("minScore", "high").build(), "minScore", "a number from 0 to 1");
    onlyError(rag("r").with("inject", "assistant").build(), "inject", "system (one system message after the request's own) or user");
    onlyError(rag("r").with("onError", "failClosed").build(), "onError", "answer (answer without context when retrieval fails) or fail");
    onlyError(rag("r").with("maxContextChars", 10).build(), "maxContextChars", "an integer from 200 to 200000");
    onlyError(rag("r").with("order", 2_000_000).build(), "order", "an integer from -1000000 to 1000000");
    onlyError(rag("r").with("filter", List.of("audience")).build(), "filter", "a mapping of up to 20 metadata keys");
    onlyError(rag("r").with("filter", Map.of("audience", List.of("a"))).build(), "filter.audience", "a string, number or boolean");
    onlyError(rag("r").with("models", "chat").build(), "models", "a non-empty list of");
    onlyError(rag("r").with("groups", List.of("a b")).build(), "groups", "consumer group names");
    onlyError(rag("r").with("optional", "yes").build(), "optional", "true or false");
    onlyError(rag("r").with("topk", 3).build(), "topk", "no such field; allowed: description, filter, groups, inject, kb");
    onlyError(rag("has space").build(), "pk", "'rag#' followed by a name of 1 to 64 characters");
    onlyError(ConfigItems.item(ItemKeys.ragPk("r"), "retrieval").with("kb", "handbook").build(), null, "sk to be 'rag'");
  }

  @Test
  void theErrorNamesTheItemFieldValueAndExpectation() {
    ConfigError error = onlyError(rag("r").with("topK", 50).build(), "topK", "an integer from 1 to 20");
    assertEquals("item {pk=rag#r, sk=rag}: topK = 50: expected an integer from 1 to 20", error.message());
  }

  @Test
  void aBadPolicyDoesNotStopTheOthersAndTheRestAreOrderedByOrderThenName() {
    ValidatedConfig validated = validate(rag("c").with("order", 1).build(), rag("b").build(), rag("a").with("order", 1).build(),
        rag("bad").with("topK", -1).build());
    assertEquals(1, validated.errors().size());
    assertEquals(List.of("b", "a", "c"), validated.config().rag().stream().map(RagRule::name).toList());
  }

  /** Every field, written in the order export writes it. */
  private static final String DOCUMENT =
      """
      {"rag": {
         "handbook": {"description": "ground chat in the handbook", "order": 10, "kb": "handbook", "models": ["chat"],
           "groups": ["support"], "topK": 6, "minScore": 0.3, "filter": {"audience": "public"}, "maxContextChars": 8000,
           "inject": "system", "onError": "fail", "optional": true, "onRequest": false},
         "legal": {"kb": "legal", "onRequest": true}}}
      """;

  @Test
  void theRagSectionBecomesOneItemPerPolicyAndExportsAsItWasWritten() {
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(Json.parse(DOCUMENT), errors);

    assertEquals(List.of(), errors);
    assertEquals(List.of("rag#handbook rag @ rag.handbook", "rag#legal rag @ rag.legal"),
        items.stream().map(i -> i.pk() + " " + i.sk() + " @ " + i.location()).toList());
    ValidatedConfig validated = new ConfigValidator(dev.tollgate.testing.StandardProviders.registry()).validate(items, Instant.EPOCH);
    assertEquals(List.of(), validated.errors());
    assertEquals(List.of("legal", "handbook"), validated.config().rag().stream().map(RagRule::name).toList());
    JsonNode exported = ConfigDocument.fromItems(items);
    assertEquals(Json.parse(DOCUMENT).get("rag").toString(), exported.get("rag").toString());
  }

  @Test
  void aPolicyThatIsNotAMappingIsAStructuralError() {
    List<ConfigError> errors = new ArrayList<>();
    ConfigDocument.toItems(Json.parse("{\"rag\": {\"handbook\": \"handbook\"}}"), errors);
    assertEquals(1, errors.size());
    assertEquals("rag.handbook", errors.getFirst().location());
  }
}
