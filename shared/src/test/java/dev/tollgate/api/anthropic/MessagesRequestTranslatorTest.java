package dev.tollgate.api.anthropic;

import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.ApiException;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Anthropic Messages requests as the OpenAI chat requests the pipeline runs, and what is refused. */
class MessagesRequestTranslatorTest {

  private static ObjectNode translate(String anthropic) {
    ObjectNode chat = MessagesRequestTranslator.translate(Json.parse(anthropic));
    ChatRequestValidator.validate(chat); // whatever comes out must pass the pipeline's own check
    return chat;
  }

  private static ApiError refusal(String anthropic) {
    return assertThrows(ApiException.class, () -> MessagesRequestTranslator.translate(Json.parse(anthropic))).error();
  }

  @Test
  void aPlainTextRequestKeepsModelMaxTokensAndSampling() {
    ObjectNode chat =
        translate(
            """
            {"model":"claude-x","max_tokens":256,"temperature":0.2,"top_p":0.9,"top_k":40,
             "metadata":{"user_id":"u-42"},
             "messages":[{"role":"user","content":"Hello"}]}
            """);

    assertSameJson(
        Json.parse(
            """
            {"model":"claude-x","max_tokens":256,
             "messages":[{"role":"user","content":"Hello"}],
             "temperature":0.2,"top_p":0.9,"user":"u-42"}
            """),
        chat);
  }

  @Test
  void aSystemPromptAsStringOrTextBlocksBecomesTheFirstMessage() {
    ObjectNode fromString =
        translate("{\"model\":\"m\",\"max_tokens\":5,\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    ObjectNode fromBlocks =
        translate(
            """
            {"model":"m","max_tokens":5,
             "system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Be kind.","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"hi"}]}
            """);

    assertSameJson(Json.parse("{\"role\":\"system\",\"content\":\"Be brief.\"}"), fromString.path("messages").get(0));
    assertSameJson(Json.parse("{\"role\":\"system\",\"content\":\"Be brief.\\nBe kind.\"}"), fromBlocks.path("messages").get(0));
    assertEquals("user", fromBlocks.path("messages").get(1).path("role").asText());
  }

  @Test
  void aSystemTurnInsideTheConversationStaysInPlace() {
    ObjectNode chat =
        translate(
            """
            {"model":"m","max_tokens":5,"messages":[
              {"role":"user","content":"one"},
              {"role":"system","content":[{"type":"text","text":"Now answer in French."}]},
              {"role":"user","content":"two"}]}
            """);

    assertSameJson(Json.parse("{\"role\":\"system\",\"content\":\"Now answer in French.\"}"), chat.path("messages").get(1));
  }

  @Test
  void aMultiTurnConversationKeepsItsOrderAndJoinsTextBlocks() {
    ObjectNode chat =
        translate(
            """
            {"model":"m","max_tokens":5,"messages":[
              {"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]},
              {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},{"type":"text","text":"three"}]},
              {"role":"user","content":"four"}]}
            """);

    assertSameJson(
        Json.parse(
            """
            [{"role":"user","content":"one\\ntwo"},
             {"role":"assistant","content":"three"},
             {"role":"user","content":"four"}]
            """),
        chat.get("messages"));
  }

  @Test
  void imagesBecomeImageUrlPartsFromBase64OrUrl() {
    ObjectNode chat =
        translate(
            """
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0K"}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]}
            """);

    assertSameJson(
        Json.parse(
            """
            [{"type":"text","text":"What is this?"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}},
             {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]
            """),
        chat.path("messages").get(0).get("content"));
  }

  @Test
  void toolsToolUseAndToolResultsBecomeFunctionsToolCallsAndToolMessages() {
    ObjectNode chat =
        translate(
            """
            {"model":"m","max_tokens":100,
             "tools":[{"name":"get_weather","description":"Weather now",
                       "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
             "messages":[
              {"role":"user","content":"Weather in Paris and Oslo?"},
              {"role":"assistant","content":[
                {"type":"text","text":"Checking."},
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Oslo"}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"toolu_1","content":"18 C"},
                {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"no data"}],"is_error":true},
                {"type":"text","text":"Summarise please."}]}]}
            """);

    assertSameJson(
        Json.parse(
            """
            [{"type":"function","function":{"name":"get_weather","description":"Weather now",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]
            """),
        chat.get("tools"));
    assertSameJson(
        Json.parse(
            """
            [{"role":"user","content":"Weather in Paris and Oslo?"},
             {"role":"assistant","content":"Checking.","tool_calls":[
               {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
               {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
             {"role":"tool","tool_call_id":"toolu_1","content":"18 C"},
             {"role":"tool","tool_call_id":"toolu_2","content":"[tool error] no data"},
             {"role":"user","content":"Summarise please."}]
            """),
        chat.get("messages"));
  }

  @Test
  void anAssistantTurnOfOnlyToolUseHasNullContent() {
    ObjectNode chat =
        translate(
            """
            {"model":"m","max_tokens":5,"messages":[
              {"role":"user","content":"go"},
              {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1"}]}]}
            """);

    JsonNode assistant = chat.path("messages").get(1);
    assertTrue(assistant.get("content").isNull());
    assertEquals("{}", assistant.path("tool_calls").get(0).path("function").path("arguments").asText());
    assertSameJson(Json.parse("{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"\"}"), chat.path("messages").get(2));
    assertEquals(3, chat.path("messages").size(), "a user turn of only tool results adds no user message");
  }

  static Stream<Arguments> toolChoices() {
    return Stream.of(
        Arguments.of("{\"type\":\"auto\"}", "\"auto\""),
        Arguments.of("{\"type\":\"any\"}", "\"required\""),
        Arguments.of("{\"type\":\"none\"}", "\"none\""),
        Arguments.of("{\"type\":\"tool\",\"name\":\"f\"}", "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"));
  }

  @ParameterizedTest
  @MethodSource("toolChoices")
  void toolChoiceMapsToOpenAiNames(String anthropic, String openAi) {
    ObjectNode chat =
        translate(
            "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":" + anthropic + ",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertSameJson(Json.parse(openAi), chat.get("tool_choice"));
    assertFalse(chat.has("parallel_tool_calls"));
  }

  @Test
  void disablingParallelToolUseTurnsOffParallelToolCalls() {
    ObjectNode chat =
        translate(
            "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertFalse(chat.path("parallel_tool_calls").asBoolean(true));
  }

  @Test
  void anEmptyToolListSendsNeitherToolsNorToolChoice() {
    ObjectNode chat =
        translate(
            "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[],\"tool_choice\":{\"type\":\"auto\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertFalse(chat.has("tools"));
    assertFalse(chat.has("tool_choice"));
  }

  @Test
  void stopSequencesBecomeStop() {
    ObjectNode chat =
        translate(
            "{\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":[\"END\",\"###\"],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertSameJson(Json.parse("[\"END\",\"###\"]"), chat.get("stop"));
  }

  @Test
  void aStreamedRequestAsksForTheUsageChunk() {
    ObjectNode chat =
        translate("{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertTrue(chat.path("stream").asBoolean());
    assertTrue(chat.path("stream_options").path("include_usage").asBoolean());
  }

  static Stream<Arguments> invalidRequests() {
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    return Stream.of(
        Arguments.of("{\"model\":\"m\"," + messages + "}", "max_tokens"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":0," + messages + "}", "max_tokens"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":\"10\"," + messages + "}", "max_tokens"),
        Arguments.of("{\"max_tokens\":10," + messages + "}", "model"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10}", "messages"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[]}", "messages"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].role"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\"}]}", "messages[0].content"),
        Arguments.of(
            "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{}}]}]}",
            "messages[0].content[0].type"),
        Arguments.of(
            "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"file\"}}]}]}",
            "messages[0].content[0].source.type"),
        Arguments.of(
            "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\","
                + "\"content\":[{\"type\":\"image\",\"source\":{}}]}]}]}",
            "messages[0].content[0].content[0].type"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"temperature\":1.5," + messages + "}", "temperature"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"stop_sequences\":\"END\"," + messages + "}", "stop_sequences"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"tools\":[{\"name\":\"f\"}]," + messages + "}", "tools[0].input_schema"),
        Arguments.of(
            "{\"model\":\"m\",\"max_tokens\":10,\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]," + messages + "}",
            "tools[0].type"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"tool_choice\":{\"type\":\"tool\"}," + messages + "}", "tool_choice.name"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"tool_choice\":{\"type\":\"some\"}," + messages + "}", "tool_choice.type"),
        Arguments.of("{\"model\":\"m\",\"max_tokens\":10,\"stream\":\"yes\"," + messages + "}", "stream"));
  }

  @ParameterizedTest
  @MethodSource("invalidRequests")
  void anInvalidRequestIsA400NamingTheField(String anthropic, String field) {
    ApiError error = refusal(anthropic);

    assertEquals(400, error.status());
    assertEquals(field, error.param());
    assertTrue(error.message().contains("'" + field + "'"), error.message());
  }

  @Test
  void aBodyThatIsNotAnObjectIsRefused() {
    assertEquals(400, refusal("[1,2]").status());
  }
}
