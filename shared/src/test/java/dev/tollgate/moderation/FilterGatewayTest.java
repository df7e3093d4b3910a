package dev.tollgate.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filters through the whole gateway: what reaches the upstream, what the client reads, streamed or not. */
class FilterGatewayTest {

  private static ConfigItems.Builder filter(String name) {
    return ConfigItems.item(ItemKeys.filterPk(name), ItemKeys.FILTER_SK);
  }

  private static GatewayHarness harness(ConfigItem... filters) {
    List<ConfigItem> items = new ArrayList<>(List.of(filters));
    items.add(ConfigItems.scriptedTarget("chat", "a").build());
    return new GatewayHarness(items);
  }

  private static String chat(boolean stream, String... userTexts) {
    ObjectNode body = Json.object().put("model", "chat").put("stream", stream);
    body.putArray("messages").addObject().put("role", "system").put("content", "Support desk: help@tollgate.dev");
    for (String text : userTexts) {
      body.withArray("messages").addObject().put("role", "user").put("content", text);
    }
    return Json.text(body);
  }

  /** The content the client read from an SSE body, and the finish reasons it was sent. */
  private static List<String> sse(GatewayResponse response, StringBuilder content) {
    List<String> finishes = new ArrayList<>();
    for (String line : response.bodyText().split("\n")) {
      if (line.startsWith("data: {")) {
        JsonNode choice = Json.parse(line.substring(6)).path("choices").path(0);
        content.append(choice.path("delta").path("content").asText(""));
        if (choice.path("finish_reason").isTextual()) {
          finishes.add(choice.path("finish_reason").asText());
        }
      }
    }
    return finishes;
  }

  private static ScriptedProvider.Behaviour answering(String content) {
    return call -> {
      UpstreamResponse answer = ScriptedProvider.answer(call);
      ((ObjectNode) answer.completion().path("choices").get(0).path("message")).put("content", content);
      return answer;
    };
  }

  private static ScriptedProvider.StreamBehaviour streaming(String... pieces) {
    return call -> {
      ChunkHeader header = new ChunkHeader("chatcmpl-s", 1700000000L, "scripted-model");
      List<ObjectNode> chunks = new ArrayList<>();
      chunks.add(header.chunk(0, Json.object().put("role", "assistant").put("content", ""), null));
      for (String piece : pieces) {
        chunks.add(header.chunk(0, Json.object().put("content", piece), null));
      }
      chunks.add(header.chunk(0, Json.object(), "stop"));
      return new BufferedChunkStream(chunks, new Usage(5, 7, 12));
    };
  }

  @Test
  void requestSideRedactionReachesTheUpstreamRedacted() {
    GatewayHarness harness = harness(filter("pii-out").with("pii", List.of("email", "card")).with("on", "request").build());

    GatewayResponse response = harness.chat(chat(false, "I am jane@example.com", "card 4111 1111 1111 1111, thanks"));

    assertEquals(200, response.status(), response.bodyText());
    JsonNode sent = harness.provider().calls().getFirst().request().body().path("messages");
    assertEquals("Support desk: help@tollgate.dev", sent.get(0).path("content").asText(), "only user messages are filtered");
    assertEquals("I am [REDACTED:email]", sent.get(1).path("content").asText());
    assertEquals("card [REDACTED:card], thanks", sent.get(2).path("content").asText());
    assertEquals("answer from a", GatewayHarness.json(response).path("choices").path(0).path("message").path("content").asText(),
        "an on: request filter leaves the answer alone");
  }

  @Test
  void requestSideRedactionCoversTextParts() {
    GatewayHarness harness = harness(filter("pii-out").with("pii", List.of("phone")).with("on", "both").build());
    String body =
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"call +1 415 555 2671\"}]}]}";

    assertEquals(200, harness.chat(body).status());

    assertEquals("call [REDACTED:phone]",
        harness.provider().calls().getFirst().request().body().path("messages").get(0).path("content").get(0).path("text").asText());
  }

  @Test
  void aBlockedRequestIsA400ThatNamesTheFilterButNotTheText() {
    GatewayHarness harness =
        harness(filter("no-codenames").with("deny", List.of("(?i)project\\s+falcon")).with("action", "block").with("on", "request").build());

    GatewayResponse response = harness.chat(chat(false, "tell me about Project Falcon"));

    assertEquals(400, response.status());
    assertEquals(RequestFilter.BLOCKED_CODE, GatewayHarness.errorCode(response));
    assertTrue(GatewayHarness.errorMessage(response).contains("'no-codenames'"), response.bodyText());
    assertFalse(response.bodyText().toLowerCase().contains("falcon"), response.bodyText());
    assertEquals(List.of(), harness.provider().calls(), "nothing leaves for the provider");
  }

  @Test
  void aWholeAnswerIsRedactedOrBlocked() {
    GatewayHarness redacting = harness(filter("keys").with("pii", List.of("awsAccessKey")).build());
    redacting.provider().on("a", answering("use AKIAIOSFODNN7EXAMPLE"));
    JsonNode redacted = GatewayHarness.json(redacting.chat(chat(false, "hi"))).path("choices").path(0);
    assertEquals("use [REDACTED:awsAccessKey]", redacted.path("message").path("content").asText());

    GatewayHarness blocking = harness(filter("keys").with("pii", List.of("awsAccessKey")).with("action", "block").build());
    blocking.provider().on("a", answering("use AKIAIOSFODNN7EXAMPLE"));
    GatewayResponse response = blocking.chat(chat(false, "hi"));
    assertEquals(200, response.status());
    JsonNode blocked = GatewayHarness.json(response).path("choices").path(0);
    assertEquals("content_filter", blocked.path("finish_reason").asText());
    assertEquals("", blocked.path("message").path("content").asText());
  }

  @Test
  void aStreamedAnswerReachesTheClientRedactedWithMatchesSplitAcrossChunks() {
    GatewayHarness harness = harness(filter("pii").with("pii", List.of("email", "iban")).build());
    harness.provider().onStream("a", streaming("Mail jane.d", "oe@exam", "ple.com or pay to DE89 3704 00", "44 0532 0130 00", " today."));

    GatewayResponse response = harness.chat(chat(true, "hi"));

    assertEquals(200, response.status());
    StringBuilder content = new StringBuilder();
    assertEquals(List.of("stop"), sse(response, content));
    assertEquals("Mail [REDACTED:email] or pay to [REDACTED:iban] today.", content.toString());
    assertFalse(response.bodyText().contains("jane") || response.bodyText().contains("0532"), response.bodyText());
    assertTrue(response.bodyText().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void aBlockedStreamEndsWithContentFilter() {
    GatewayHarness harness =
        harness(filter("cards").with("pii", List.of("card")).with("action", "block").with("groups", List.of("default")).build());
    harness.provider().onStream("a", streaming("Sure. The card is 4111 1111", " 1111 1111 and", " it expires soon."));

    GatewayResponse response = harness.chat(chat(true, "hi"));

    StringBuilder content = new StringBuilder();
    assertEquals(List.of("content_filter"), sse(response, content));
    assertFalse(content.toString().contains("4111"), content.toString());
    assertFalse(response.bodyText().contains("expires"), response.bodyText());
    assertTrue(response.bodyText().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void anthropicClientsGetTheFilteredAnswerToo() {
    GatewayHarness harness = harness(filter("pii").with("pii", List.of("email")).build());
    harness.provider().on("a", answering("write to jane@example.com"));

    GatewayResponse response =
        harness.send("POST", "/v1/messages", Map.of("x-api-key", GatewayHarness.API_KEY, "anthropic-version", "2023-06-01"),
            "{\"model\":\"chat\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("write to [REDACTED:email]", GatewayHarness.json(response).path("content").get(0).path("text").asText());
  }
}
