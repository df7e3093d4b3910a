package dev.tollgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A complete completion replayed as the chunk stream OpenAI would have sent, and its SSE framing. */
class CompletionChunkerTest {

  private static ObjectNode completion(String message, String finishReason) {
    return (ObjectNode)
        Json.parse(
            ("{'id':'chatcmpl-1','object':'chat.completion','created':1700000000,'model':'gpt-x',"
                    + "'system_fingerprint':'fp_1','choices':[{'index':0,'message':" + message + ",'logprobs':null,"
                    + "'finish_reason':'" + finishReason + "'}],"
                    + "'usage':{'prompt_tokens':9,'completion_tokens':3,'total_tokens':12}}")
                .replace('\'', '"'));
  }

  private static final ObjectNode TEXT = completion("{'role':'assistant','content':'Hello there'}", "stop");
  private static final ObjectNode TOOLS =
      completion(
          "{'role':'assistant','content':null,'tool_calls':["
              + "{'id':'call_a','type':'function','function':{'name':'weather','arguments':'{}'}},"
              + "{'id':'call_b','type':'function','function':{'name':'time','arguments':'{}'}}]}",
          "tool_calls");

  @Test
  void aTextCompletionBecomesRoleThenContentThenFinish() {
    List<ObjectNode> chunks = CompletionChunker.chunks(TEXT, false);

    assertEquals(3, chunks.size());
    assertEquals(Json.parse("{\"role\":\"assistant\",\"content\":\"\"}"), delta(chunks.get(0)));
    assertEquals(Json.parse("{\"content\":\"Hello there\"}"), delta(chunks.get(1)));
    assertEquals(Json.object(), delta(chunks.get(2)));
    assertTrue(choice(chunks.get(0)).path("finish_reason").isNull());
    assertTrue(choice(chunks.get(1)).path("finish_reason").isNull());
    assertEquals("stop", choice(chunks.get(2)).path("finish_reason").asText());
    for (ObjectNode chunk : chunks) {
      assertEquals("chatcmpl-1", chunk.path("id").asText());
      assertEquals("chat.completion.chunk", chunk.path("object").asText());
      assertEquals(1700000000, chunk.path("created").asLong());
      assertEquals("gpt-x", chunk.path("model").asText());
      assertEquals("fp_1", chunk.path("system_fingerprint").asText());
      assertFalse(chunk.has("usage"), "no usage field unless asked for");
    }
  }

  @Test
  void toolCallsCarryTheirIndexAndNoEmptyContent() {
    List<ObjectNode> chunks = CompletionChunker.chunks(TOOLS, false);

    JsonNode body = delta(chunks.get(1));
    assertFalse(body.has("content"));
    JsonNode calls = body.path("tool_calls");
    assertEquals(2, calls.size());
    assertEquals(0, calls.get(0).path("index").asInt());
    assertEquals("call_a", calls.get(0).path("id").asText());
    assertEquals("weather", calls.get(0).path("function").path("name").asText());
    assertEquals(1, calls.get(1).path("index").asInt());
    assertEquals("call_b", calls.get(1).path("id").asText());
    assertEquals("tool_calls", choice(chunks.get(2)).path("finish_reason").asText());
    assertFalse(TOOLS.path("choices").get(0).path("message").path("tool_calls").get(0).has("index"),
        "the completion itself is left as it was");
  }

  @Test
  void anEmptyAnswerHasNoContentChunk() {
    List<ObjectNode> chunks = CompletionChunker.chunks(completion("{'role':'assistant','content':''}", "stop"), false);

    assertEquals(2, chunks.size());
  }

  @Test
  void includeUsageAddsNullUsageToEachChunkAndAFinalUsageChunk() {
    List<ObjectNode> chunks = CompletionChunker.chunks(TEXT, true);

    assertEquals(4, chunks.size());
    for (ObjectNode chunk : chunks.subList(0, 3)) {
      assertTrue(chunk.has("usage") && chunk.get("usage").isNull(), chunk.toString());
    }
    ObjectNode last = chunks.get(3);
    assertTrue(last.path("choices").isArray() && last.path("choices").isEmpty());
    assertEquals(TEXT.get("usage"), last.get("usage"));
    assertEquals("chatcmpl-1", last.path("id").asText());
  }

  @Test
  void everyChoiceGetsItsOwnChunksWithItsIndex() {
    ObjectNode two = TEXT.deepCopy();
    ObjectNode second = two.withArray("choices").addObject();
    second.put("index", 1);
    second.putObject("message").put("role", "assistant").put("content", "Other");
    second.put("finish_reason", "length");

    List<ObjectNode> chunks = CompletionChunker.chunks(two, false);

    assertEquals(6, chunks.size());
    assertEquals(1, choice(chunks.get(3)).path("index").asInt());
    assertEquals("Other", delta(chunks.get(4)).path("content").asText());
    assertEquals("length", choice(chunks.get(5)).path("finish_reason").asText());
  }

  @Test
  void theSseBodyFramesEveryChunkAndEndsWithDone() {
    List<ObjectNode> chunks = CompletionChunker.chunks(TOOLS, true);

    String body = new String(SseEncoder.body(chunks), StandardCharsets.UTF_8);

    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    List<JsonNode> parsed = new ArrayList<>();
    String[] frames = body.split("\n\n");
    for (int i = 0; i < frames.length - 1; i++) {
      assertTrue(frames[i].startsWith("data: "), frames[i]);
      assertFalse(frames[i].substring(6).contains("\n"), "one line per frame");
      parsed.add(Json.parse(frames[i].substring(6)));
    }
    assertEquals("data: [DONE]", frames[frames.length - 1]);
    // Compared as parsed text: a parsed number may be an int where the chunk held a long.
    assertEquals(chunks.stream().map(chunk -> Json.parse(Json.text(chunk))).toList(), parsed);
  }

  @Test
  void oneEventIsOneFrame() {
    ObjectNode data = Json.object().put("text", "two\nlines");

    String frame = new String(SseEncoder.event(data), StandardCharsets.UTF_8);

    assertEquals("data: {\"text\":\"two\\nlines\"}\n\n", frame);
    assertEquals("data: [DONE]\n\n", new String(SseEncoder.done(), StandardCharsets.US_ASCII));
  }

  private static JsonNode choice(JsonNode chunk) {
    return chunk.path("choices").get(0);
  }

  private static JsonNode delta(JsonNode chunk) {
    return choice(chunk).path("delta");
  }
}
