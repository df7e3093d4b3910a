package dev.tollgate.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SseEvent;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What {@link AnthropicStreamTranslator} makes of Messages stream events beyond the adapter contract. */
class AnthropicStreamTranslatorTest {

  private final AnthropicStreamTranslator translator = new AnthropicStreamTranslator("claude-sonnet-4-5", 1_767_000_000);

  private List<ObjectNode> feed(String type, String data) throws UpstreamFailure {
    return translator.onEvent(new SseEvent(type, data));
  }

  private void start() throws UpstreamFailure {
    assertEquals(
        List.of(),
        feed(
            "message_start",
            """
            {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],
             "model":"claude-sonnet-4-5-20250929","stop_reason":null,
             "usage":{"input_tokens":50,"cache_creation_input_tokens":300,"cache_read_input_tokens":1000,"output_tokens":1}}}
            """),
        "message_start says nothing a client sees");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"overloaded_error, SERVER_ERROR", "rate_limit_error, RATE_LIMITED", "api_error, SERVER_ERROR"})
  void anErrorEventFailsTheStreamWithoutAnthropicsMessage(String type, FailureKind kind) throws UpstreamFailure {
    start();

    UpstreamFailure failure =
        assertThrows(
            UpstreamFailure.class,
            () -> feed("error", "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"key sk-ant-api03-XyZ123456 over quota\"}}"));

    assertEquals(kind, failure.kind());
    assertFalse(failure.detail().contains("sk-ant"), failure.detail());
    assertTrue(failure.detail().contains(type), failure.detail());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"max_tokens, length", "refusal, content_filter", "stop_sequence, stop", "tool_use, tool_calls"})
  void theStopReasonBecomesTheFinishChunkCarryingTheRoleWhenNothingCameBefore(String stopReason, String finish)
      throws UpstreamFailure {
    start();

    List<ObjectNode> chunks =
        feed("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason + "\"},\"usage\":{\"output_tokens\":3}}");

    assertEquals(1, chunks.size());
    assertEquals(finish, chunks.getFirst().at("/choices/0/finish_reason").asText());
    assertEquals("assistant", chunks.getFirst().at("/choices/0/delta/role").asText());
    assertEquals("msg_1", chunks.getFirst().path("id").asText());
    assertEquals("claude-sonnet-4-5-20250929", chunks.getFirst().path("model").asText());
    assertEquals(1_767_000_000, chunks.getFirst().path("created").asLong());
  }

  @Test
  void usageAddsCacheReadsAndWritesToThePromptAndTakesTheLatestOutputCount() throws UpstreamFailure {
    start();
    feed("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":42}}");
    feed("message_stop", "{\"type\":\"message_stop\"}");

    assertTrue(translator.finished());
    assertEquals(new Usage(1350, 42, 1392, 1000), translator.usage());
  }

  @Test
  void toolCallsAfterTextGetTheirOwnIndexesAndArgumentsFollowTheirBlock() throws UpstreamFailure {
    start();
    List<ObjectNode> chunks = new ArrayList<>();
    chunks.addAll(feed("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    chunks.addAll(feed("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking both.\"}}"));
    chunks.addAll(feed("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"weather\",\"input\":{}}}"));
    chunks.addAll(feed("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"time\",\"input\":{}}}"));
    chunks.addAll(feed("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"));
    chunks.addAll(feed("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}"));
    chunks.addAll(feed("some_future_event", "{\"type\":\"some_future_event\"}"));

    assertEquals(5, chunks.size(), chunks.toString());
    assertEquals("assistant", chunks.get(0).at("/choices/0/delta/role").asText());
    assertEquals("Checking both.", chunks.get(0).at("/choices/0/delta/content").asText());
    assertEquals("toolu_a", chunks.get(1).at("/choices/0/delta/tool_calls/0/id").asText());
    assertEquals(0, chunks.get(1).at("/choices/0/delta/tool_calls/0/index").asInt());
    assertEquals("toolu_b", chunks.get(2).at("/choices/0/delta/tool_calls/0/id").asText());
    assertEquals(1, chunks.get(2).at("/choices/0/delta/tool_calls/0/index").asInt());
    assertEquals(1, chunks.get(3).at("/choices/0/delta/tool_calls/0/index").asInt());
    assertEquals(0, chunks.get(4).at("/choices/0/delta/tool_calls/0/index").asInt());
    assertEquals("{\"city\":\"Oslo\"}", chunks.get(4).at("/choices/0/delta/tool_calls/0/function/arguments").asText());
    assertFalse(chunks.get(1).at("/choices/0/delta").has("role"), "the role comes once");
  }
}
