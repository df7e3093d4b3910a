package dev.tollgate.routing;

import static dev.tollgate.testing.GatewayHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.embedding.EmbeddingUnavailableException;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.HashingEmbedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Semantic routing rules in the assembled gateway, on the deterministic bag-of-words embedder:
 * threshold, order against cheaper conditions, one embedding per request, examples embedded once
 * per config, and failures that cost the rule but never the request.
 */
class SemanticRoutingGatewayTest {

  private static final List<String> CODE_EXAMPLES =
      List.of("write a python function that sorts a list", "fix the bug in this java method");
  private static final String CODE_PROMPT = "please write a python function to sort a list of names";
  private static final String COOKING_PROMPT = "how long should I boil an egg for breakfast";

  private final HashingEmbedder hashing = new HashingEmbedder();

  private static ConfigItems.Builder rule(String name, int order, String to) {
    return ConfigItems.item(ItemKeys.rulePk(name), ItemKeys.RULE_SK).with("order", order).with("to", to);
  }

  private static ConfigItem codeRule(List<String> examples) {
    return rule("code", 10, "coder").with("semantic", Map.of("examples", examples, "threshold", 0.5)).build();
  }

  private static List<ConfigItem> config(ConfigItem... rules) {
    List<ConfigItem> all = new ArrayList<>(List.of(
        ConfigItems.scriptedTarget("chat", "chat-target").build(),
        ConfigItems.scriptedTarget("coder", "coder-target").build(),
        ConfigItems.scriptedTarget("small", "small-target").build(),
        rule("default", 1000, "chat").with("models", List.of("auto")).build()));
    all.addAll(List.of(rules));
    return all;
  }

  private static String body(String userText) {
    ObjectNode body = Json.object().put("model", "auto");
    body.putArray("messages").addObject().put("role", "user").put("content", userText);
    return Json.text(body);
  }

  private static List<Verdict> verdicts(GatewayHarness gateway) {
    return gateway.audit().records().getLast().verdicts();
  }

  @Test
  void aPromptLikeTheExamplesIsRoutedAndTheHeaderAndVerdictGiveTheSimilarity() {
    GatewayHarness gateway = GatewayHarness.withEmbedder(config(codeRule(CODE_EXAMPLES)), hashing);
    GatewayResponse response = gateway.chat(body(CODE_PROMPT));

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("coder-target", gateway.provider().calledTargets().getLast());
    String header = response.headers().get(RoutingRulePolicy.HEADER);
    assertTrue(header.matches("code; semantic=0\\.\\d\\d"), header);
    double similarity = Double.parseDouble(header.substring(header.indexOf('=') + 1));
    assertTrue(similarity >= 0.5, header);
    assertTrue(verdicts(gateway).contains(new Verdict("rule", "code", "route", "auto -> coder, semantic " + header.substring(header.indexOf('=') + 1))),
        verdicts(gateway).toString());
  }

  @Test
  void aPromptUnlikeTheExamplesFallsThroughToTheNextRule() {
    GatewayHarness gateway = GatewayHarness.withEmbedder(config(codeRule(CODE_EXAMPLES)), hashing);
    GatewayResponse response = gateway.chat(body(COOKING_PROMPT));

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("default", response.headers().get(RoutingRulePolicy.HEADER));
    assertEquals("chat-target", gateway.provider().calledTargets().getLast());
  }

  @Test
  void theThresholdDecides() {
    // The same prompt and examples: matched at a low threshold, not at one above its similarity.
    ConfigItem strict = rule("strict", 5, "small").with("semantic", Map.of("examples", CODE_EXAMPLES, "threshold", 0.99)).build();
    GatewayHarness gateway = GatewayHarness.withEmbedder(config(strict, codeRule(CODE_EXAMPLES)), hashing);
    GatewayResponse response = gateway.chat(body(CODE_PROMPT));
    assertTrue(response.headers().get(RoutingRulePolicy.HEADER).startsWith("code; "), response.headers().toString());

    GatewayResponse exact = gateway.chat(body(CODE_EXAMPLES.getFirst()));
    assertEquals("strict; semantic=1.00", exact.headers().get(RoutingRulePolicy.HEADER), "an example itself is similarity 1");
  }

  @Test
  void cheaperConditionsOfTheRuleAndEarlierRulesComeFirstSoNoEmbeddingIsMade() {
    ConfigItem freeCode = rule("free-code", 5, "small").with("groups", List.of("free"))
        .with("semantic", Map.of("examples", CODE_EXAMPLES, "threshold", 0.1)).build();
    ConfigItem fenced = rule("fenced", 1, "coder").with("hasCode", true).build();
    GatewayHarness gateway = GatewayHarness.withEmbedder(config(freeCode, fenced), hashing);
    gateway.chat(body("warm up: loads the config"));
    int afterLoad = hashing.textsEmbedded();

    GatewayResponse notFree = gateway.chat(body(CODE_PROMPT)); // the harness key's group is not free
    assertEquals("default", notFree.headers().get(RoutingRulePolicy.HEADER));
    GatewayResponse code = gateway.chat(body("```\nx = 1\n```"));
    assertEquals("fenced", code.headers().get(RoutingRulePolicy.HEADER));

    assertEquals(afterLoad, hashing.textsEmbedded(), "neither request reached the semantic condition");
  }

  @Test
  void theRequestIsEmbeddedOnceHoweverManySemanticRulesAreReached() {
    ConfigItem recipes = rule("recipes", 20, "small")
        .with("semantic", Map.of("examples", List.of("a recipe for lemon cake"), "threshold", 0.9)).build();
    ConfigItem travel = rule("travel", 30, "small")
        .with("semantic", Map.of("examples", List.of("book a flight to rome"), "threshold", 0.9)).build();
    GatewayHarness gateway = GatewayHarness.withEmbedder(config(codeRule(CODE_EXAMPLES), recipes, travel), hashing);
    gateway.chat(body("warm up: loads the config"));
    int before = hashing.textsEmbedded();

    GatewayResponse response = gateway.chat(body(COOKING_PROMPT));

    assertEquals("default", response.headers().get(RoutingRulePolicy.HEADER));
    assertEquals(before + 1, hashing.textsEmbedded(), "three semantic rules, one embedding");
  }

  @Test
  void examplesAreEmbeddedOncePerConfigAndAReloadEmbedsOnlyNewOnes() {
    List<ConfigItem> items = config(codeRule(CODE_EXAMPLES));
    GatewayHarness gateway = GatewayHarness.withEmbedder(items, hashing);
    gateway.chat(body(CODE_PROMPT));
    gateway.chat(body(CODE_PROMPT));
    assertEquals(CODE_EXAMPLES.size() + 2, hashing.textsEmbedded(), "two examples at load, then one text per request");

    // An edit elsewhere reloads the config; the unchanged examples are not embedded again.
    List<ConfigItem> edited = new ArrayList<>(items);
    edited.add(ConfigItems.scriptedTarget("extra", "extra-target").build());
    gateway.source().replace(withHarnessKey(edited));
    gateway.clock().advance(Duration.ofMinutes(1));
    gateway.chat(body(CODE_PROMPT));
    assertEquals(CODE_EXAMPLES.size() + 3, hashing.textsEmbedded());

    // One example added: only it is embedded.
    List<ConfigItem> more = new ArrayList<>(edited);
    List<String> examples = new ArrayList<>(CODE_EXAMPLES);
    examples.add("refactor this typescript class");
    more.set(more.indexOf(codeRule(CODE_EXAMPLES)), codeRule(examples));
    gateway.source().replace(withHarnessKey(more));
    gateway.clock().advance(Duration.ofMinutes(1));
    GatewayResponse response = gateway.chat(body("refactor this typescript class"));
    assertEquals(CODE_EXAMPLES.size() + 5, hashing.textsEmbedded(), "the new example, then the request");
    assertEquals("code; semantic=1.00", response.headers().get(RoutingRulePolicy.HEADER));
  }

  @Test
  void anEmbeddingFailureCostsTheRuleNotTheRequestAndIsRecorded() {
    TextEmbedder failing = new FailingFor("boom", hashing);
    GatewayHarness gateway = GatewayHarness.withEmbedder(config(codeRule(CODE_EXAMPLES)), failing);
    GatewayResponse response = gateway.chat(body("write a python function, boom"));

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("default", response.headers().get(RoutingRulePolicy.HEADER));
    Verdict unavailable = verdicts(gateway).stream().filter(v -> v.action().equals("semantic_unavailable")).findFirst().orElseThrow();
    assertEquals("code", unavailable.policy());
    assertTrue(unavailable.detail().contains("embedding failed: the model is down"), unavailable.detail());
    assertFalse(unavailable.detail().contains("python"), "the verdict never repeats the caller's text");
    assertEquals(1, gateway.metrics().sum(MetricNames.ROUTING_SEMANTIC_UNAVAILABLE));
  }

  @Test
  void withoutAnEmbeddingModelSemanticRulesNeverMatchAndTheVerdictSaysWhy() {
    GatewayHarness gateway = new GatewayHarness(config(codeRule(CODE_EXAMPLES))); // TextEmbedder.NONE
    GatewayResponse response = gateway.chat(body(CODE_EXAMPLES.getFirst()));

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("default", response.headers().get(RoutingRulePolicy.HEADER));
    Verdict unavailable = verdicts(gateway).stream().filter(v -> v.action().equals("semantic_unavailable")).findFirst().orElseThrow();
    assertTrue(unavailable.detail().contains("no embedding model is configured"), unavailable.detail());
  }

  @Test
  void modelsListsAutoWhenARuleCanPickAModelForIt() {
    GatewayHarness gateway = GatewayHarness.withEmbedder(config(codeRule(CODE_EXAMPLES)), hashing);
    Map<String, String> auth = Map.of("x-api-key", GatewayHarness.API_KEY);
    JsonNode list = json(gateway.send("GET", "/v1/models", auth, ""));
    JsonNode auto = null;
    for (JsonNode model : list.path("data")) {
      auto = model.path("id").asText().equals("auto") ? model : auto;
    }
    assertTrue(auto != null, list.toString());
    assertTrue(auto.path("description").asText().contains("routing rules"), auto.toString());
    assertEquals(200, gateway.send("GET", "/v1/models/auto", auth, "").status());

    ConfigItem chatOnly = rule("only-chat", 1, "coder").with("models", List.of("chat")).build();
    GatewayHarness withoutAuto = GatewayHarness.withEmbedder(
        List.of(ConfigItems.scriptedTarget("chat", "c").build(), ConfigItems.scriptedTarget("coder", "d").build(), chatOnly),
        hashing);
    assertFalse(withoutAuto.send("GET", "/v1/models", auth, "").bodyText().contains("\"auto\""));
    assertEquals(404, withoutAuto.send("GET", "/v1/models/auto", auth, "").status());
  }

  private static List<ConfigItem> withHarnessKey(List<ConfigItem> items) {
    List<ConfigItem> all = new ArrayList<>(items);
    all.add(ConfigItems.keyFor(GatewayHarness.API_KEY, "harness", "*").build());
    return all;
  }

  /** The hashing model, except that texts containing {@code word} fail as an unreachable model would. */
  private record FailingFor(String word, HashingEmbedder model) implements TextEmbedder {
    @Override
    public String modelId() {
      return model.modelId();
    }

    @Override
    public int dimensions() {
      return model.dimensions();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      if (texts.stream().anyMatch(text -> text.contains(word))) {
        throw new EmbeddingUnavailableException("the model is down");
      }
      return model.embed(texts);
    }
  }
}
