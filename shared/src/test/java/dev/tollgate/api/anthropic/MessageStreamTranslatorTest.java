package dev.tollgate.api.anthropic;

import static dev.tollgate.testing.SameJson.assertSameJson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.Usage;
import org.junit.jupiter.api.Test;

/** OpenAI chunk sequences as Anthropic's exact event sequence, block indices included. */
class MessageStreamTranslatorTest {

  private static ObjectNode chunk(String delta, String finishReason) {
    return (ObjectNode)
        Json.parse(
            "{\"id\":\"chatcmpl-7\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}");
  }

  /** Every event the translator writes for {@code chunks}, as one JSON array. */
  private static ArrayNode events(Usage usage, ObjectNode... chunks) {
    MessageStreamTranslator translator = new MessageStreamTranslator("my-alias");
    ArrayNode events = Json.array();
    events.add(translator.start(chunks[0].path("id").asText(), Usage.NONE));
    for (ObjectNode chunk : chunks) {
      events.addAll(translator.chunk(chunk));
    }
    events.addAll(translator.finish(usage));
    return events;
  }

  @Test
  void streamedTextIsOneTextBlock() {
    ArrayNode events =
        events(
            new Usage(11, 2, 13),
            chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
            chunk("{\"content\":\"Hel\"}", null),
            chunk("{\"content\":\"lo\"}", null),
            chunk("{}", "stop"));

    assertSameJson(
        Json.parse(
            """
            [{"type":"message_start","message":{"id":"msg_chatcmpl-7","type":"message","role":"assistant","model":"my-alias",
               "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}},
             {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}},
             {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}},
             {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}},
             {"type":"content_block_stop","index":0},
             {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
              "usage":{"input_tokens":11,"output_tokens":2}},
             {"type":"message_stop"}]
            """),
        events);
  }

  @Test
  void streamedToolCallsOpenOneToolUseBlockEachAfterTheText() {
    ArrayNode events =
        events(
            new Usage(30, 12, 42),
            chunk("{\"role\":\"assistant\",\"content\":\"Checking.\"}", null),
            chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null),
            chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"now\",\"arguments\":\"{}\"}}]}", null),
            chunk("{}", "tool_calls"));

    assertSameJson(
        Json.parse(
            """
            [{"type":"message_start","message":{"id":"msg_chatcmpl-7","type":"message","role":"assistant","model":"my-alias",
               "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}},
             {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}},
             {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}},
             {"type":"content_block_stop","index":0},
             {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_a","name":"get_weather","input":{}}},
             {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\":"}},
             {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}},
             {"type":"content_block_stop","index":1},
             {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_b","name":"now","input":{}}},
             {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{}"}},
             {"type":"content_block_stop","index":2},
             {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
              "usage":{"input_tokens":30,"output_tokens":12}},
             {"type":"message_stop"}]
            """),
        events);
  }

  @Test
  void aStreamWithNoContentStillStartsAndEndsTheMessage() {
    ArrayNode events = events(new Usage(4, 0, 4), chunk("{\"role\":\"assistant\"}", "length"));

    assertSameJson(
        Json.parse(
            """
            [{"type":"message_start","message":{"id":"msg_chatcmpl-7","type":"message","role":"assistant","model":"my-alias",
               "content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}},
             {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},
              "usage":{"input_tokens":4,"output_tokens":0}},
             {"type":"message_stop"}]
            """),
        events);
  }
}
