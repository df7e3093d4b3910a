package dev.tollgate.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A gateway with one scripted alias {@code gpt} whose every upstream answer is numbered, and a cache policy. */
final class CacheFixture {

  static final String ALIAS = "gpt";
  static final String KEY_A = "tg-cache-a";
  static final String KEY_B = "tg-cache-b";
  static final String KEY_C = "tg-cache-c";

  final InMemoryCacheStore store = new InMemoryCacheStore();
  final GatewayHarness harness;
  final AtomicInteger upstreamCalls = new AtomicInteger();

  CacheFixture(Map<String, ?> cache) {
    this(cache, TextEmbedder.NONE);
  }

  CacheFixture(Map<String, ?> cache, TextEmbedder embedder) {
    this(cache, embedder, List.of());
  }

  /** With {@code extra} config items (filters, say) beside the alias, the cache policy and the three keys. */
  CacheFixture(Map<String, ?> cache, TextEmbedder embedder, List<ConfigItem> extra) {
    List<ConfigItem> items = new ArrayList<>(extra);
    items.add(ConfigItems.scriptedTarget(ALIAS, "t1").with("model", "m1").build());
    items.add(ConfigItems.item(ItemKeys.cachePk("main"), ItemKeys.CACHE_SK).withAll(cache).build());
    items.add(ConfigItems.keyFor(KEY_A, "alice", "*").with("group", "paid").build());
    items.add(ConfigItems.keyFor(KEY_B, "bob", "*").with("group", "paid").build());
    items.add(ConfigItems.keyFor(KEY_C, "carol", "*").with("group", "free").build());
    harness =
        GatewayHarness.withPorts(
            items, ports -> ports.withCacheStore(store).withEmbedder(embedder), MutableClock.ahead(java.time.Duration.ZERO));
    harness.provider().on("t1", call -> numbered(call.request().body().path("messages")));
  }

  /** A completion whose text is "answer N" for the Nth upstream call. */
  private UpstreamResponse numbered(JsonNode messages) {
    int n = upstreamCalls.incrementAndGet();
    ObjectNode completion = (ObjectNode) Json.parse(
        "{\"id\":\"chatcmpl-" + n + "\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"m1\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"answer " + n + "\"},"
            + "\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}");
    return new UpstreamResponse(completion, new Usage(7, 3, 10));
  }

  static String body(String prompt, String extra) {
    return "{\"model\":\"" + ALIAS + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt + "\"}]" + extra + "}";
  }

  static String body(String prompt) {
    return body(prompt, "");
  }

  GatewayResponse send(String apiKey, String body) {
    return send(apiKey, body, Map.of());
  }

  GatewayResponse send(String apiKey, String body, Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Authorization", "Bearer " + apiKey);
    return harness.send("POST", GatewayHarness.CHAT_PATH, all, body);
  }

  static com.fasterxml.jackson.databind.JsonNode json(GatewayResponse response) {
    return GatewayHarness.json(response);
  }

  static String content(GatewayResponse response) {
    return GatewayHarness.json(response).path("choices").path(0).path("message").path("content").asText();
  }

  /** The events of an SSE body, parsed; [DONE] as a text node. */
  static List<JsonNode> events(GatewayResponse response) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : response.bodyText().split("\n")) {
      if (line.startsWith("data: ")) {
        String data = line.substring(6);
        events.add(data.equals("[DONE]") ? Json.mapper().getNodeFactory().textNode(data) : Json.parse(data));
      }
    }
    return events;
  }

  /** The content deltas of a stream, joined. */
  static String streamedText(GatewayResponse response) {
    StringBuilder text = new StringBuilder();
    events(response).forEach(e -> e.path("choices").forEach(c -> text.append(c.path("delta").path("content").asText(""))));
    return text.toString();
  }
}
