package dev.tollgate.api.anthropic;

import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.api.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenAI chat completions written as Anthropic messages. */
class MessageResponseWriterTest {

  @Test
  void aTextAnswerBecomesAMessageNamedAfterTheAlias() {
    var completion =
        Json.parse(
            """
            {"id":"chatcmpl-9","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hi there","refusal":null},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}
            """);

    assertSameJson(
        Json.parse(
            """
            {"id":"msg_chatcmpl-9","type":"message","role":"assistant","model":"my-alias",
             "content":[{"type":"text","text":"Hi there"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"output_tokens":3}}
            """),
        MessageResponseWriter.message(completion, "my-alias"));
  }

  @Test
  void toolCallsBecomeToolUseBlocksWithParsedInput() {
    var completion =
        Json.parse(
            """
            {"id":"msg_01abc","choices":[{"index":0,"message":{"role":"assistant","content":"Let me look.",
               "tool_calls":[
                 {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                 {"id":"call_2","type":"function","function":{"name":"now","arguments":""}},
                 {"id":"call_3","type":"function","function":{"name":"bad","arguments":"{not json"}}]},
               "finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29}}
            """);

    var message = MessageResponseWriter.message(completion, "m");

    assertEquals("msg_01abc", message.path("id").asText(), "an Anthropic upstream's id is kept");
    assertSameJson(
        Json.parse(
            """
            [{"type":"text","text":"Let me look."},
             {"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},
             {"type":"tool_use","id":"call_2","name":"now","input":{}},
             {"type":"tool_use","id":"call_3","name":"bad","input":{"_raw":"{not json"}}]
            """),
        message.get("content"));
    assertEquals("tool_use", message.path("stop_reason").asText());
  }

  @ParameterizedTest
  @CsvSource({"stop,end_turn", "length,max_tokens", "tool_calls,tool_use", "content_filter,refusal", "function_call,tool_use"})
  void finishReasonsMapToStopReasons(String finishReason, String stopReason) {
    assertEquals(stopReason, MessageResponseWriter.stopReason(finishReason));
  }

  @Test
  void aRefusalIsReturnedAsText() {
    var completion =
        Json.parse(
            """
            {"id":"x","choices":[{"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
              "finish_reason":"content_filter"}],"usage":{}}
            """);

    var message = MessageResponseWriter.message(completion, "m");

    assertSameJson(Json.parse("[{\"type\":\"text\",\"text\":\"I can't help with that.\"}]"), message.get("content"));
    assertEquals("refusal", message.path("stop_reason").asText());
  }
}
