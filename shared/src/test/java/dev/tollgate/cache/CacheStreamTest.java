package dev.tollgate.cache;

import static dev.tollgate.cache.CacheFixture.KEY_A;
import static dev.tollgate.cache.CacheFixture.body;
import static dev.tollgate.cache.CacheFixture.content;
import static dev.tollgate.cache.CacheFixture.events;
import static dev.tollgate.cache.CacheFixture.streamedText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import dev.tollgate.testing.GatewayHarness;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cached answers and streams: a hit replayed as a proper SSE stream, streams stored whole, both ways round. */
class CacheStreamTest {

  private static final String STREAM = ",\"stream\":true";
  private static final String STREAM_WITH_USAGE = ",\"stream\":true,\"stream_options\":{\"include_usage\":true}";

  @Test
  void aCachedAnswerIsReplayedAsAProperStream() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact"));
    f.send(KEY_A, body("q"));
    GatewayResponse replay = f.send(KEY_A, body("q", STREAM_WITH_USAGE));

    assertEquals("hit", replay.header("x-tollgate-cache"));
    assertEquals("text/event-stream", replay.header("content-type").split(";")[0]);
    List<JsonNode> events = events(replay);
    assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText());
    assertEquals("answer 1", streamedText(replay));
    JsonNode finish = events.get(events.size() - 3);
    assertEquals("stop", finish.path("choices").path(0).path("finish_reason").asText());
    JsonNode usage = events.get(events.size() - 2);
    assertEquals(0, usage.path("choices").size());
    assertEquals(10, usage.path("usage").path("total_tokens").asInt());
    assertEquals("[DONE]", events.getLast().asText());
    assertEquals(1, f.upstreamCalls.get());
  }

  @Test
  void aStreamedAnswerIsStoredWholeAndServedLaterAsAStreamOrBuffered() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact"));
    GatewayResponse original = f.send(KEY_A, body("q", STREAM));
    assertEquals("miss", original.header("x-tollgate-cache"));

    GatewayResponse replay = f.send(KEY_A, body("q", STREAM));
    GatewayResponse buffered = f.send(KEY_A, body("q"));

    assertEquals("hit", replay.header("x-tollgate-cache"));
    assertEquals(streamedText(original), streamedText(replay));
    assertEquals("hit", buffered.header("x-tollgate-cache"));
    assertEquals("answer 1", content(buffered));
    assertEquals("stop", CacheFixture.json(buffered).path("choices").path(0).path("finish_reason").asText());
    assertEquals(1, f.upstreamCalls.get());
  }

  @Test
  void aStreamThatBreaksIsNotStored() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact"));
    f.harness.provider().onStream("t1", call -> new ChunkStream() {
      private int sent;

      @Override
      public Optional<com.fasterxml.jackson.databind.node.ObjectNode> next() throws UpstreamFailure {
        if (sent++ == 0) {
          return Optional.of((com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(
              "{\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m1\","
                  + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"half\"},\"finish_reason\":null}]}"));
        }
        throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "reset");
      }

      @Override
      public Usage usage() {
        return Usage.NONE;
      }

      @Override
      public void close() {}
    });
    GatewayResponse broken = f.send(KEY_A, body("q", STREAM));
    assertTrue(broken.bodyText().contains("upstream_stream_interrupted"));
    assertEquals(0, f.store.size());
  }

  @Test
  void toolCallsStreamedInPiecesAreStoredAsOneCall() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact"));
    String head = "{\"id\":\"t\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m1\",\"choices\":[{\"index\":0,";
    List<String> chunks = List.of(
        head + "\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"ci\"}}]},\"finish_reason\":null}]}",
        head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Oslo\\\"}\"}}]},"
            + "\"finish_reason\":null}]}",
        head + "\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");
    f.harness.provider().onStream("t1", call -> new BufferedChunkStream(
        chunks.stream().map(c -> (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(c)).toList(),
        new Usage(5, 5, 10)));
    f.send(KEY_A, body("q", STREAM));
    GatewayResponse buffered = f.send(KEY_A, body("q"));

    JsonNode message = CacheFixture.json(buffered).path("choices").path(0).path("message");
    assertEquals("hit", buffered.header("x-tollgate-cache"));
    assertEquals("weather", message.path("tool_calls").path(0).path("function").path("name").asText());
    assertEquals("{\"city\":\"Oslo\"}", message.path("tool_calls").path(0).path("function").path("arguments").asText());
    assertEquals("call_1", message.path("tool_calls").path(0).path("id").asText());
    assertEquals("tool_calls", CacheFixture.json(buffered).path("choices").path(0).path("finish_reason").asText());
  }

  @Test
  void anthropicMessagesClientsGetCachedAnswersInTheirFormat() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact"));
    String messages = "{\"model\":\"gpt\",\"max_tokens\":100,\"temperature\":0,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    Map<String, String> headers = Map.of("x-api-key", KEY_A, "anthropic-version", "2023-06-01");
    f.harness.send("POST", "/v1/messages", headers, messages);
    GatewayResponse hit = f.harness.send("POST", "/v1/messages", headers, messages);

    assertEquals("hit", hit.header("x-tollgate-cache"));
    JsonNode json = GatewayHarness.json(hit);
    assertEquals("message", json.path("type").asText());
    assertEquals("answer 1", json.path("content").path(0).path("text").asText());
    assertEquals(1, f.upstreamCalls.get());
  }

  @Test
  void anthropicClientsAskingToStreamGetTheCachedAnswerAsAnthropicEvents() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact"));
    String messages = "{\"model\":\"gpt\",\"max_tokens\":100,\"temperature\":0,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    String streamed = messages.replace("{\"model\"", "{\"stream\":true,\"model\"");
    Map<String, String> headers = Map.of("x-api-key", KEY_A, "anthropic-version", "2023-06-01");
    f.harness.send("POST", "/v1/messages", headers, messages);
    GatewayResponse hit = f.harness.send("POST", "/v1/messages", headers, streamed);

    assertEquals("hit", hit.header("x-tollgate-cache"));
    String sse = hit.bodyText();
    assertTrue(sse.startsWith("event: message_start"), sse);
    assertTrue(sse.contains("\"text\":\"answer 1\""), sse);
    assertTrue(sse.contains("event: message_stop"), sse);
    assertEquals(1, f.upstreamCalls.get());
  }
}
