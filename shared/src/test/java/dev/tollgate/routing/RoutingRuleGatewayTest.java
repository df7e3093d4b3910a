package dev.tollgate.routing;

import static dev.tollgate.testing.GatewayHarness.errorCode;
import static dev.tollgate.testing.GatewayHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Context-aware routing rules in the assembled gateway: which rule matched, what it said, and who was called. */
class RoutingRuleGatewayTest {

  private static final String FREE_KEY = "tg-free-tier-key";
  private static final String CHAT_ONLY_KEY = "tg-chat-only-key";

  private static ConfigItems.Builder rule(String name, int order, String to) {
    return ConfigItems.item(ItemKeys.rulePk(name), ItemKeys.RULE_SK).with("order", order).with("to", to);
  }

  private static GatewayHarness gateway(ConfigItem... rules) {
    List<ConfigItem> all = new ArrayList<>(List.of(
        ConfigItems.scriptedTarget("chat", "chat-target").build(),
        ConfigItems.scriptedTarget("coder", "coder-target").build(),
        ConfigItems.scriptedTarget("long", "long-target").build(),
        ConfigItems.scriptedTarget("small", "small-target").build(),
        ConfigItems.keyFor(FREE_KEY, "freebie", "small").with("group", "free").build(),
        ConfigItems.keyFor(CHAT_ONLY_KEY, "narrow", "chat", "auto").build()));
    all.addAll(List.of(rules));
    return new GatewayHarness(all);
  }

  /**
   * One rule per matcher, each with its own name, so a response names what matched; the long-document
   * threshold is above an image's flat estimate (765 tokens), so an image alone is not a long document.
   */
  private static GatewayHarness everyMatcher() {
    return gateway(
        rule("free-tier", 1, "small").with("groups", List.of("free")).build(),
        rule("code", 10, "coder").with("hasCode", true).build(),
        rule("long-documents", 20, "long").with("minPromptTokens", 2000).build(),
        rule("images", 30, "long").with("hasImages", true).build(),
        rule("tools", 40, "coder").with("hasTools", true).build(),
        rule("team-header", 50, "coder").with("headers", Map.of("x-team", "^platform$")).build(),
        rule("review-metadata", 60, "coder").with("metadata", Map.of("task", "^review$")).build(),
        rule("stack-traces", 70, "coder").with("pattern", "(?i)stack ?trace").build(),
        rule("contracts", 80, "long").with("keywords", List.of("Contract", "clause")).with("models", List.of("auto")).build());
  }

  private static String body(String model, String userText) {
    ObjectNode body = Json.object().put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", userText);
    return Json.text(body);
  }

  private static void routed(GatewayHarness gateway, GatewayResponse response, String rule, String target) {
    assertEquals(200, response.status(), response.bodyText());
    assertEquals(rule, response.headers().get(RoutingRulePolicy.HEADER));
    assertEquals(target, gateway.provider().calledTargets().getLast());
  }

  @Test
  void aFencedCodeBlockGoesToTheCodeModel() {
    GatewayHarness gateway = everyMatcher();
    GatewayResponse response = gateway.chat(body("chat", "Why does this fail?\n```java\nint x = \"a\";\n```"));
    routed(gateway, response, "code", "coder-target");
    assertEquals("coder", gateway.provider().calls().getLast().request().body().path("model").asText(),
        "the upstream request names the rewritten alias's model, not the requested one");
  }

  @Test
  void aLongPromptGoesToTheLongContextAlias() {
    GatewayHarness gateway = everyMatcher();
    routed(gateway, gateway.chat(body("chat", "lorem ipsum dolor ".repeat(1000))), "long-documents", "long-target");
    GatewayResponse shortOne = gateway.chat(body("chat", "lorem ipsum dolor"));
    routed(gateway, shortOne, "none", "chat-target");
  }

  @Test
  void theFreeTierGoesToTheSmallModelWhateverItAsksFor() {
    GatewayHarness gateway = everyMatcher();
    GatewayResponse response = gateway.send("POST", GatewayHarness.CHAT_PATH, Map.of("Authorization", "Bearer " + FREE_KEY),
        body("chat", "```code``` and a stack trace"));
    routed(gateway, response, "free-tier", "small-target");
  }

  @Test
  void imagesAndToolsAreMatched() {
    GatewayHarness gateway = everyMatcher();
    ObjectNode withImage = Json.object().put("model", "chat");
    ObjectNode message = withImage.putArray("messages").addObject().put("role", "user");
    message.putArray("content").addObject().put("type", "image_url").putObject("image_url").put("url", "https://example.com/a.png");
    routed(gateway, gateway.chat(Json.text(withImage)), "images", "long-target");

    ObjectNode withTools = (ObjectNode) Json.parse(body("chat", "what is the weather"));
    withTools.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "weather");
    routed(gateway, gateway.chat(Json.text(withTools)), "tools", "coder-target");
  }

  @Test
  void headersMetadataPatternsAndKeywordsAreMatched() {
    GatewayHarness gateway = everyMatcher();
    routed(gateway, gateway.send("POST", GatewayHarness.CHAT_PATH,
        Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY, "X-Team", "platform"), body("chat", "hi")),
        "team-header", "coder-target");
    routed(gateway, gateway.send("POST", GatewayHarness.CHAT_PATH,
        Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY, "X-Team", "platform-two"), body("chat", "hi")),
        "none", "chat-target");

    ObjectNode withMetadata = (ObjectNode) Json.parse(body("chat", "hi"));
    withMetadata.putObject("metadata").put("task", "review");
    routed(gateway, gateway.chat(Json.text(withMetadata)), "review-metadata", "coder-target");

    routed(gateway, gateway.chat(body("chat", "Here is my STACKTRACE")), "stack-traces", "coder-target");
    routed(gateway, gateway.chat(body("auto", "Please read this CONTRACT")), "contracts", "long-target");
    routed(gateway, gateway.chat(body("chat", "Please read this CONTRACT")), "none", "chat-target");
  }

  @Test
  void allConditionsOfARuleMustHold() {
    GatewayHarness gateway = gateway(
        rule("paid-code", 1, "coder").with("hasCode", true).with("groups", List.of("paid")).build());
    routed(gateway, gateway.chat(body("chat", "```x```")), "none", "chat-target");
  }

  @Test
  void rulesAreTriedByOrderThenNameAndTheFirstMatchWins() {
    GatewayHarness gateway = gateway(
        rule("a-late", 20, "long").build(),
        rule("c-early", 10, "small").build(),
        rule("b-early", 10, "coder").build());
    routed(gateway, gateway.chat(body("chat", "hi")), "b-early", "coder-target");
  }

  @Test
  void hasCodeFalseMatchesOnlyRequestsWithoutCode() {
    GatewayHarness gateway = gateway(rule("prose", 1, "small").with("hasCode", false).build());
    routed(gateway, gateway.chat(body("chat", "plain words")), "prose", "small-target");
    routed(gateway, gateway.chat(body("chat", "```x```")), "none", "chat-target");
  }

  @Test
  void autoWithoutAMatchingRuleIsA400ThatNamesTheProblem() {
    GatewayHarness gateway = everyMatcher();
    GatewayResponse response = gateway.chat(body("auto", "hello"));
    assertEquals(400, response.status());
    assertEquals("no_route_for_auto", errorCode(response));
    assertEquals("invalid_request_error", json(response).path("error").path("type").asText());
    assertEquals("model", json(response).path("error").path("param").asText());
    assertEquals("none", response.headers().get(RoutingRulePolicy.HEADER));
    assertTrue(gateway.provider().calls().isEmpty());
  }

  @Test
  void autoWithoutRulesAtAllIsA400TooAndWithAnAutoAliasItFallsBackToIt() {
    GatewayHarness bare = gateway();
    assertEquals("no_route_for_auto", errorCode(bare.chat(body("auto", "hello"))));

    GatewayHarness withAlias = new GatewayHarness(List.of(ConfigItems.scriptedTarget("auto", "default-target").build()));
    routed(withAlias, withAlias.chat(body("auto", "hello")), "none", "default-target");
  }

  @Test
  void autoWithAMatchingRuleIsRouted() {
    GatewayHarness gateway = everyMatcher();
    routed(gateway, gateway.chat(body("auto", "```py\nprint(1)\n```")), "code", "coder-target");
  }

  @Test
  void aRequestWithoutRulesSaysNone() {
    GatewayHarness gateway = gateway();
    routed(gateway, gateway.chat(body("chat", "hello")), "none", "chat-target");
  }

  @Test
  void theConsumerMustBeAllowedTheAliasTheRuleRoutesTo() {
    GatewayHarness gateway = everyMatcher();
    GatewayResponse response = gateway.send("POST", GatewayHarness.CHAT_PATH,
        Map.of("Authorization", "Bearer " + CHAT_ONLY_KEY), body("auto", "```x```"));
    assertEquals(403, response.status());
    assertEquals("model_not_allowed", errorCode(response));
    assertTrue(json(response).path("error").path("message").asText().contains("'coder'"));
    assertEquals("code", response.headers().get(RoutingRulePolicy.HEADER), "the header explains the 403 too");
    assertTrue(gateway.provider().calls().isEmpty());
  }

  @Test
  void theAuditRecordNamesTheRuleAndTheRewrittenAlias() {
    GatewayHarness gateway = everyMatcher();
    gateway.chat(body("auto", "```x```"));
    AuditRecord record = gateway.audit().records().getLast();
    assertEquals("coder", record.alias());
    assertTrue(record.verdicts().contains(new Verdict("rule", "code", "route", "auto -> coder")), record.verdicts().toString());
  }

  @Test
  void anthropicMessagesClientsAreRoutedByTheSameRules() {
    GatewayHarness gateway = everyMatcher();
    Map<String, String> headers = Map.of("x-api-key", GatewayHarness.API_KEY, "anthropic-version", "2023-06-01");
    String code = "{\"model\":\"auto\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"```go\\nx := 1\\n```\"}]}";
    GatewayResponse routedResponse = gateway.send("POST", "/v1/messages", headers, code);
    routed(gateway, routedResponse, "code", "coder-target");

    String plain = "{\"model\":\"auto\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    GatewayResponse unmatched = gateway.send("POST", "/v1/messages", headers, plain);
    assertEquals(400, unmatched.status());
    assertTrue(unmatched.bodyText().contains("'auto' could not pick a model"), unmatched.bodyText());
    assertEquals("none", unmatched.headers().get(RoutingRulePolicy.HEADER));
  }
}
