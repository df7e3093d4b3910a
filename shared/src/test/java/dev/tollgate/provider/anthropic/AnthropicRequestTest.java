package dev.tollgate.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static dev.tollgate.testing.SameJson.assertSameJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How single OpenAI parameters and message shapes map onto the Messages body. */
class AnthropicRequestTest {

  private static ObjectNode translate(String chatJson) throws UpstreamFailure {
    return AnthropicRequest.from((ObjectNode) Json.parse(chatJson), "claude-m", "t-a");
  }

  private static ObjectNode withHello(String extraFields) throws UpstreamFailure {
    return translate("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]" + extraFields + "}");
  }

  @Test
  void aMinimalChatGetsTheDefaultMaxTokensAndNothingElse() throws UpstreamFailure {
    assertSameJson(
        Json.parse(
            """
            {"model": "claude-m", "max_tokens": 4096,
             "messages": [{"role": "user", "content": [{"type": "text", "text": "hello"}]}]}
            """),
        withHello(""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"max_tokens\": 100 | 100",
        "\"max_completion_tokens\": 200 | 200",
        "\"max_tokens\": 100, \"max_completion_tokens\": 300 | 300",
      })
  void theClientsCompletionAllowanceBecomesMaxTokens(String fields, long expected) throws UpstreamFailure {
    assertEquals(expected, withHello(", " + fields).path("max_tokens").asLong());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"none\" | {\"type\":\"none\"}",
        "\"auto\" | {\"type\":\"auto\"}",
        "\"required\" | {\"type\":\"any\"}",
        "{\"type\":\"function\",\"function\":{\"name\":\"f\"}} | {\"type\":\"tool\",\"name\":\"f\"}",
      })
  void toolChoicesMapOntoAnthropics(String choice, String expected) throws UpstreamFailure {
    ObjectNode body =
        withHello(", \"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}], \"tool_choice\":" + choice);

    assertEquals(Json.parse(expected), body.get("tool_choice"));
    assertEquals(Json.parse("[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]"), body.get("tools"));
  }

  @Test
  void turningParallelToolCallsOffDisablesParallelToolUse() throws UpstreamFailure {
    ObjectNode body =
        withHello(", \"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}], \"parallel_tool_calls\": false");

    assertEquals(Json.parse("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"), body.get("tool_choice"));
  }

  @Test
  void aSingleStopStringBecomesOneStopSequence() throws UpstreamFailure {
    assertEquals(Json.parse("[\"###\"]"), withHello(", \"stop\": \"###\"").get("stop_sequences"));
  }

  @Test
  void parametersWithoutAnAnthropicEquivalentAreDropped() throws UpstreamFailure {
    ObjectNode body =
        withHello(
            ", \"n\": 1, \"seed\": 3, \"logprobs\": true, \"top_logprobs\": 2, \"presence_penalty\": 0.5,"
                + " \"response_format\": {\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\"}},"
                + " \"stream\": true, \"stream_options\": {\"include_usage\": true}");

    assertEquals(withHello(""), body);
  }

  @Test
  void consecutiveTurnsOfOneRoleAreMergedSoRolesAlternate() throws UpstreamFailure {
    ObjectNode body =
        translate(
            """
            {"model": "c", "messages": [
              {"role": "user", "content": "one"},
              {"role": "user", "content": [{"type": "text", "text": "two"}]},
              {"role": "assistant", "content": "three"},
              {"role": "assistant", "content": ""},
              {"role": "assistant", "content": "four"},
              {"role": "user", "content": "five"}]}
            """);

    assertEquals(
        Json.parse(
            """
            [{"role": "user", "content": [{"type": "text", "text": "one"}, {"type": "text", "text": "two"}]},
             {"role": "assistant", "content": [{"type": "text", "text": "three"}, {"type": "text", "text": "four"}]},
             {"role": "user", "content": [{"type": "text", "text": "five"}]}]
            """),
        body.get("messages"));
    assertFalse(body.has("system"));
  }

  @Test
  void parallelToolResultsGoIntoOneUserTurn() throws UpstreamFailure {
    JsonNode messages =
        translate(
                """
                {"model": "c", "messages": [
                  {"role": "user", "content": "weather in A and B?"},
                  {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "t1", "type": "function", "function": {"name": "w", "arguments": "{\\"city\\":\\"A\\"}"}},
                    {"id": "t2", "type": "function", "function": {"name": "w", "arguments": ""}}]},
                  {"role": "tool", "tool_call_id": "t1", "content": "10"},
                  {"role": "tool", "tool_call_id": "t2", "content": [{"type": "text", "text": "20"}]}]}
                """)
            .get("messages");

    assertEquals(3, messages.size());
    assertEquals(
        Json.parse(
            """
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "t1", "content": "10"},
              {"type": "tool_result", "tool_use_id": "t2", "content": "20"}]}
            """),
        messages.get(2));
    assertEquals(Json.parse("{}"), messages.at("/1/content/1/input"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "n above 1 | n | , \"n\": 2",
        "audio part | messages[1].content[0].type | , \"messages\": [{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAA\",\"format\":\"wav\"}}]}]",
        "data URL without base64 | messages[0].content[0].image_url.url | , \"messages\": [{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png,abc\"}}]}]",
        "arguments not an object | messages[1].tool_calls[0].function.arguments | , \"messages\": [{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"[1,2]\"}}]}]",
        "legacy function role | messages[1].role | , \"messages\": [{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"function\",\"name\":\"f\",\"content\":\"1\"}]",
      })
  void whatTheMessagesApiCannotCarryIsRejectedNamingTheParameter(String name, String param, String fields) {
    // a later "messages" key replaces the one withHello writes
    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> withHello(fields));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    assertEquals(param, failure.clientError().orElseThrow().param());
    assertEquals(400, failure.clientError().orElseThrow().status());
  }
}
