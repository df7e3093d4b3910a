package dev.tollgate.embedding.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.routing.RoutingRulePolicy;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A semantic routing rule on the real in-process model (all-MiniLM-L6-v2), through a gateway: code
 * questions phrased unlike any example still reach the code model, cooking questions do not.
 *
 * <p>{@value #THRESHOLD} is the starting threshold the README recommends for MiniLM with a dozen or
 * so examples per class: measured with the examples below, unrelated prompts scored 0.09 to 0.25
 * against the nearest example, code prompts 0.19 to 0.53 (the clearer ones above 0.33). Below it a
 * request simply falls through to the next rules (hasCode, keywords), so a missed code prompt costs
 * less than a cooking question sent to the code model.
 */
class SemanticRoutingMiniLmTest {

  static final double THRESHOLD = 0.3;
  static final List<String> CODE_EXAMPLES = List.of(
      "Write a Python function that reverses a linked list",
      "Fix this Java method, it throws a NullPointerException",
      "How do I write a SQL query that joins two tables and groups by customer?",
      "Refactor this JavaScript code to use async/await",
      "Why does my Rust code not compile? The borrow checker complains",
      "Write a unit test for this function",
      "Write a bash script that backs up a directory",
      "Implement quicksort in C++",
      "Write a Go program that reads a file line by line",
      "How do I parse JSON in Java?",
      "Debug this code: the loop never terminates",
      "Write a regular expression that matches email addresses",
      "Explain what this Python code does",
      "Convert this function from JavaScript to TypeScript");

  // One gateway and one model load for every case (the model takes a second or two to load).
  private static final GatewayHarness GATEWAY = GatewayHarness.withEmbedder(List.of(
      ConfigItems.scriptedTarget("chat", "chat-target").build(),
      ConfigItems.scriptedTarget("coder", "coder-target").build(),
      rule("code", 10, "coder").with("semantic", Map.of("examples", CODE_EXAMPLES, "threshold", THRESHOLD)).build(),
      rule("default", 1000, "chat").with("models", List.of("auto")).build()), new MiniLmEmbedder());

  private static ConfigItems.Builder rule(String name, int order, String to) {
    return ConfigItems.item(ItemKeys.rulePk(name), ItemKeys.RULE_SK).with("order", order).with("to", to);
  }

  private static GatewayResponse ask(String prompt) {
    ObjectNode body = Json.object().put("model", "auto");
    body.putArray("messages").addObject().put("role", "user").put("content", prompt);
    GatewayResponse response = GATEWAY.chat(Json.text(body));
    assertEquals(200, response.status(), response.bodyText());
    return response;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "write a function in python to check whether a number is prime",
      "my typescript build fails with a type error in the reducer, how do I fix it",
      "implement binary search in Go",
      "what does this error mean: undefined is not a function"})
  void codeLikePromptsGoToTheCodeModel(String prompt) {
    GatewayResponse response = ask(prompt);
    String route = response.headers().get(RoutingRulePolicy.HEADER);
    assertTrue(route.startsWith("code; semantic="), prompt + " -> " + route);
    assertEquals("coder-target", GATEWAY.provider().calledTargets().getLast());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "How long should I boil an egg for a soft yolk?",
      "What is a good recipe for a vegetarian lasagna?",
      "What temperature should I roast a chicken at?"})
  void cookingQuestionsDoNot(String prompt) {
    GatewayResponse response = ask(prompt);
    assertEquals("default", response.headers().get(RoutingRulePolicy.HEADER), prompt);
    assertEquals("chat-target", GATEWAY.provider().calledTargets().getLast());
  }
}
