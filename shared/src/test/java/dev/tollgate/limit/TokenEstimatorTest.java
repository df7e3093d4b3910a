package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.api.EmbeddingsRequestValidator;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Prompt estimates of validated requests. Where a number is exact it is one OpenAI published: the
 * cookbook "How to count tokens with tiktoken" prints the prompt tokens the OpenAI API reported
 * for its example conversation (129 on gpt-4, 124 on gpt-4o) and for its tools example (105 and
 * 101), and the single-string counts of {@link TokenCountingTest}.
 */
class TokenEstimatorTest {

  private static final String COOKBOOK_MESSAGES =
      """
      [
        {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
        {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
        {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
        {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
        {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
        {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."}
      ]""";

  private static final String COOKBOOK_TOOLS =
      """
      [{"type": "function", "function": {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location",
        "parameters": {"type": "object", "properties": {
          "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
          "unit": {"type": "string", "description": "The unit of temperature to return", "enum": ["celsius", "fahrenheit"]}},
          "required": ["location"]}}}]""";

  private static final String WEATHER_MESSAGES =
      """
      [{"role": "system", "content": "You are a helpful assistant that can answer to questions about the weather."},
       {"role": "user", "content": "What's the weather like in San Francisco?"}]""";

  private final TokenEstimator estimator = new TokenEstimator(4096);

  @Test
  void theCookbookConversationCountsWhatTheOpenAiApiReported() {
    assertEquals(129, estimator.promptTokens(chat("gpt-4-0613", COOKBOOK_MESSAGES, "")));
    assertEquals(129, estimator.promptTokens(chat("gpt-3.5-turbo", COOKBOOK_MESSAGES, "")));
    assertEquals(124, estimator.promptTokens(chat("gpt-4o", COOKBOOK_MESSAGES, "")));
    assertEquals(124, estimator.promptTokens(chat("gpt-4o-mini", COOKBOOK_MESSAGES, "")));
  }

  @Test
  void theUpstreamModelChoosesTheTokenizerNotTheAlias() {
    ChatRequest aliased = chat("cheap", COOKBOOK_MESSAGES, "");
    assertEquals(129, estimator.promptTokens(aliased, "gpt-4"));
    assertEquals(124, estimator.promptTokens(aliased, "gpt-4o"));
  }

  @Test
  void claudeAndOtherModelsCountTheCl100kEstimatePlusTwentyPercent() {
    assertEquals(155, estimator.promptTokens(chat("claude-sonnet-4-20250514", COOKBOOK_MESSAGES, ""))); // 129 * 1.2 up
    assertEquals(155, estimator.promptTokens(chat("x", COOKBOOK_MESSAGES, ""), "us.anthropic.claude-3-7-sonnet-20250219-v1:0"));
  }

  @Test
  void eachMessageCostsThreeTokensPlusItsRoleAndContentAndTheReplyIsPrimedWithThree() {
    // "2 + 2 = 4" is 7 tokens and "user" 1 in o200k_base: 3 + 1 + 7, plus 3 for the reply.
    assertEquals(14, estimator.promptTokens(chat("gpt-4o", "[" + user("2 + 2 = 4") + "]", "")));
    assertEquals(
        14 + 3 + 1 + 6,
        estimator.promptTokens(chat("gpt-4o", "[" + user("2 + 2 = 4") + "," + user("antidisestablishmentarianism") + "]", "")));
  }

  @Test
  void textPartsCountLikeAStringContent() {
    String parts = "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"2 + 2 = 4\"}]}]";
    assertEquals(14, estimator.promptTokens(chat("gpt-4o", parts, "")));
  }

  @Test
  void imagePartsCountAFlatEstimateByDetail() {
    long textOnly = estimator.promptTokens(chat("gpt-4o", "[" + user("2 + 2 = 4") + "]", ""));
    assertEquals(textOnly + 85, estimator.promptTokens(chat("gpt-4o", withImages("{\"detail\":\"low\"}"), "")));
    assertEquals(textOnly + 765, estimator.promptTokens(chat("gpt-4o", withImages("{}"), "")));
    assertEquals(textOnly + 765, estimator.promptTokens(chat("gpt-4o", withImages("{\"detail\":\"high\"}"), "")));
    assertEquals(
        textOnly + 85 + 765,
        estimator.promptTokens(chat("gpt-4o", withImages("{\"detail\":\"low\"}", "{\"detail\":\"auto\"}"), "")));
  }

  @Test
  void toolDefinitionsCountAtLeastWhatTheOpenAiApiReportedAndWithinHalfAgainAsMuch() {
    // Counting the tools' JSON errs high against OpenAI's compact rendering, never low.
    long gpt4 = estimator.promptTokens(chat("gpt-4", WEATHER_MESSAGES, COOKBOOK_TOOLS));
    long gpt4o = estimator.promptTokens(chat("gpt-4o", WEATHER_MESSAGES, COOKBOOK_TOOLS));
    assertTrue(gpt4 >= 105 && gpt4 <= 105 * 3 / 2, "gpt-4 with tools: " + gpt4);
    assertTrue(gpt4o >= 101 && gpt4o <= 101 * 3 / 2, "gpt-4o with tools: " + gpt4o);
    long withoutTools = estimator.promptTokens(chat("gpt-4o", WEATHER_MESSAGES, ""));
    assertTrue(withoutTools < 101 - 40, "the tools are most of that request: " + withoutTools);
  }

  @Test
  void theDeprecatedFunctionsFieldCountsLikeTools() {
    String functions = Json.mapper().valueToTree(parse(COOKBOOK_TOOLS).get(0).get("function")).toString();
    long withTools = estimator.promptTokens(chat("gpt-4o", WEATHER_MESSAGES, COOKBOOK_TOOLS));
    long withFunctions = estimator.promptTokens(chatWith("gpt-4o", WEATHER_MESSAGES, ",\"functions\":[" + functions + "]"));
    long without = estimator.promptTokens(chat("gpt-4o", WEATHER_MESSAGES, ""));
    assertTrue(withFunctions > without + 40 && withFunctions < withTools, without + " < " + withFunctions + " < " + withTools);
  }

  @Test
  void toolCallsCountTheirFunctionNameAndArguments() {
    // o200k_base: "antidisestablishmentarianism" is 6 tokens, "2 + 2 = 4" is 7.
    String call = "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"antidisestablishmentarianism\",\"arguments\":\"2 + 2 = 4\"}}";
    String emptyAssistant = "[" + user("hi") + ",{\"role\":\"assistant\",\"content\":\"\"}]";
    String oneCall = "[" + user("hi") + ",{\"role\":\"assistant\",\"tool_calls\":[" + call + "]}]";
    String twoCalls = "[" + user("hi") + ",{\"role\":\"assistant\",\"tool_calls\":[" + call + "," + call.replace("call_1", "call_2") + "]}]";
    long base = estimator.promptTokens(chat("gpt-4o", emptyAssistant, ""));
    assertEquals(base + 13, estimator.promptTokens(chat("gpt-4o", oneCall, "")));
    assertEquals(base + 26, estimator.promptTokens(chat("gpt-4o", twoCalls, "")));
  }

  @Test
  void theAllowanceIsWhatTheClientSetPreferringMaxCompletionTokens() {
    assertEquals(200, estimator.completionAllowance(chatWith("gpt-4o", "[" + user("hi") + "]", ",\"max_tokens\":200")));
    assertEquals(300, estimator.completionAllowance(chatWith("gpt-4o", "[" + user("hi") + "]", ",\"max_completion_tokens\":300")));
    assertEquals(
        300,
        estimator.completionAllowance(
            chatWith("gpt-4o", "[" + user("hi") + "]", ",\"max_tokens\":200,\"max_completion_tokens\":300")));
  }

  @Test
  void withoutAClientLimitTheAllowanceIsTheDefaultCap() {
    assertEquals(4096, estimator.completionAllowance(chat("gpt-4o", "[" + user("hi") + "]", "")));
    assertEquals(512, new TokenEstimator(512).completionAllowance(chat("gpt-4o", "[" + user("hi") + "]", "")));
    assertThrows(IllegalArgumentException.class, () -> new TokenEstimator(0));
  }

  @Test
  void theTotalIsPromptPlusAllowance() {
    ChatRequest request = chatWith("gpt-4o", "[" + user("2 + 2 = 4") + "]", ",\"max_tokens\":100");
    assertEquals(14 + 100, estimator.totalTokens(request, "gpt-4o"));
  }

  @Test
  void clampingLowersTheAllowanceToWhatIsLeftButNeverBelowOne() {
    assertEquals(300, TokenEstimator.clampAllowance(1000, 300));
    assertEquals(100, TokenEstimator.clampAllowance(100, 300));
    assertEquals(100, TokenEstimator.clampAllowance(100, 100));
    assertEquals(1, TokenEstimator.clampAllowance(100, 0));
    assertEquals(1, TokenEstimator.clampAllowance(100, -50));
  }

  @Test
  void embeddingsCountTheirInputTexts() {
    assertEquals(7, estimator.inputTokens(embeddings("text-embedding-3-small", "\"2 + 2 = 4\"")));
    assertEquals(7 + 9, estimator.inputTokens(embeddings("text-embedding-3-small", "[\"2 + 2 = 4\", \"お誕生日おめでとう\"]")));
    // An unknown model counts in o200k_base, where the Japanese text is one token shorter.
    assertEquals(7 + 8, estimator.inputTokens(embeddings("my-embedder", "[\"2 + 2 = 4\", \"お誕生日おめでとう\"]")));
    // Titan is approximated: 7 * 1.2 rounded up.
    assertEquals(9, estimator.inputTokens(embeddings("alias", "\"2 + 2 = 4\""), "amazon.titan-embed-text-v2:0"));
  }

  @Test
  void embeddingsGivenAsTokenIdsCountTheIds() {
    assertEquals(3, estimator.inputTokens(embeddings("text-embedding-3-small", "[15339, 1917, 0]")));
    assertEquals(5, estimator.inputTokens(embeddings("text-embedding-3-small", "[[1, 2], [3, 4, 5]]")));
  }

  private static String user(String text) {
    return "{\"role\":\"user\",\"content\":" + Json.mapper().getNodeFactory().textNode(text) + "}";
  }

  private static String withImages(String... imageOptions) {
    StringBuilder parts = new StringBuilder("[{\"type\":\"text\",\"text\":\"2 + 2 = 4\"}");
    for (String options : imageOptions) {
      String image = options.replace("{", "{\"url\":\"https://example.com/cat.png\"" + (options.equals("{}") ? "" : ","));
      parts.append(",{\"type\":\"image_url\",\"image_url\":").append(image).append('}');
    }
    return "[{\"role\":\"user\",\"content\":" + parts + "]}]";
  }

  private static ChatRequest chat(String model, String messages, String tools) {
    return chatWith(model, messages, tools.isEmpty() ? "" : ",\"tools\":" + tools);
  }

  private static ChatRequest chatWith(String model, String messages, String extra) {
    return ChatRequestValidator.validate(parse("{\"model\":\"" + model + "\",\"messages\":" + messages + extra + "}"));
  }

  private static EmbeddingsRequest embeddings(String model, String input) {
    return EmbeddingsRequestValidator.validate(parse("{\"model\":\"" + model + "\",\"input\":" + input + "}"));
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }
}
