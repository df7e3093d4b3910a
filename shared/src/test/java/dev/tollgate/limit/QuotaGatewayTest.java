package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Limits through the whole gateway: reserve before the call, 429 with OpenAI's headers, settle to
 * the real usage (below or above the estimate), give back on failure, skip a target whose own
 * limit is spent, clamp max_tokens, and settle streams that end early.
 */
class QuotaGatewayTest {

  static final Instant START = Instant.parse("2026-01-02T03:04:04Z");
  static final Window MINUTE = Window.fixed(Duration.ofMinutes(1));

  private final InMemoryQuotaStore store = new InMemoryQuotaStore();
  private GatewayHarness gateway;

  private GatewayHarness gateway(ConfigItem... items) {
    List<ConfigItem> all = new ArrayList<>(List.of(
        ConfigItems.scriptedTarget("chat", "a").with("priority", 1).build(),
        ConfigItems.scriptedTarget("chat", "b").with("priority", 2).build()));
    all.addAll(List.of(items));
    gateway = GatewayHarness.withQuotaStore(all, store, START);
    return gateway;
  }

  static ConfigItems.Builder tokensPerMinute(String name, long limit) {
    return ConfigItems.limit(name).with("metric", "totalTokens").with("limit", limit).with("window", "1m");
  }

  /** A behaviour answering with exactly this usage. */
  static ScriptedProvider.Behaviour using(long prompt, long completion) {
    return call -> {
      UpstreamResponse answer = ScriptedProvider.answer(call);
      Usage usage = new Usage(prompt, completion, prompt + completion);
      answer.completion().set("usage", usage.toOpenAi());
      return new UpstreamResponse(answer.completion(), usage);
    };
  }

  private long used(String policy, String scope) {
    return store.read(List.of(new CounterKey(policy, scope, MINUTE)), gateway.clock().instant()).getFirst().used();
  }

  private static String body(int maxTokens) {
    ObjectNode body = GatewayHarness.chatJson("chat");
    if (maxTokens > 0) {
      body.put("max_tokens", maxTokens);
    }
    return Json.text(body);
  }

  @Test
  void aRequestIsSettledToWhatItUsedAndTheHeadersSayWhatWasLeftAtReserve() {
    gateway(tokensPerMinute("tpm", 10_000).build());
    gateway.provider().on("a", using(12, 30));

    GatewayResponse response = gateway.chat(body(500));

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(42, used("tpm", ScopeKey.GLOBAL), "settled to the reported usage, not the estimate");
    assertEquals("10000", response.header("x-ratelimit-limit-tokens"));
    long remaining = Long.parseLong(response.header("x-ratelimit-remaining-tokens"));
    assertTrue(remaining <= 10_000 - 500 && remaining > 10_000 - 600, "reserved 500 answer tokens plus the prompt: " + remaining);
    assertEquals("56s", response.header("x-ratelimit-reset-tokens"), "the window ends at 03:05:00, 56 s after 03:04:04");
    assertNull(response.header("x-ratelimit-limit-requests"), "no request policy applies");
  }

  @Test
  void usageAboveTheEstimateIsCountedInFullAndTheNextRequestIsRefusedWith429() {
    gateway(tokensPerMinute("tpm", 1_000).build());
    gateway.provider().on("a", using(100, 1_200));
    assertEquals(200, gateway.chat(body(50)).status());
    assertEquals(1_300, used("tpm", ScopeKey.GLOBAL), "usage above the estimate settles in full");

    GatewayResponse refused = gateway.chat(body(50));

    assertEquals(429, refused.status());
    assertEquals("rate_limit_exceeded", GatewayHarness.errorCode(refused));
    assertEquals("tokens", GatewayHarness.json(refused).path("error").path("type").asText());
    String message = GatewayHarness.errorMessage(refused);
    assertTrue(message.contains("'tpm'") && message.contains("totalTokens 1000 per 1m fixed window"), message);
    assertEquals("56", refused.header("retry-after"), "until the fixed window ends");
    assertEquals("56000", refused.header("retry-after-ms"));
    assertEquals("0", refused.header("x-ratelimit-remaining-tokens"));
    assertEquals("1000", refused.header("x-ratelimit-limit-tokens"));
    assertEquals(1, gateway.provider().calls().size(), "the refused request never reached an upstream");
    assertEquals(1.0, gateway.metrics().sum(MetricNames.LIMIT_REJECTED));
  }

  @Test
  void aNewWindowAdmitsAgain() {
    gateway(ConfigItems.limit("rpm").with("metric", "requests").with("limit", 2).with("window", "1m").build());
    assertEquals(200, gateway.chatWith("chat").status());
    GatewayResponse second = gateway.chatWith("chat");
    assertEquals("0", second.header("x-ratelimit-remaining-requests"));
    assertEquals("2", second.header("x-ratelimit-limit-requests"));
    assertEquals(429, gateway.chatWith("chat").status());

    gateway.clock().advance(Duration.ofSeconds(56));

    assertEquals(200, gateway.chatWith("chat").status());
  }

  @Test
  void anUpstreamFailureGivesTheReservationBackAndFailoverReservesOnlyForTheTargetThatAnswers() {
    gateway(tokensPerMinute("tpm", 10_000).build());
    gateway.provider().on("a", ScriptedProvider.fails(FailureKind.SERVER_ERROR)).on("b", using(10, 5));

    GatewayResponse response = gateway.chat(body(500));

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("b", response.header("x-tollgate-target"));
    assertEquals(15, used("tpm", ScopeKey.GLOBAL), "a's reservation was released, b's settled");
  }

  @Test
  void aRequestThatFailsEverywhereHoldsNothing() {
    gateway(tokensPerMinute("tpm", 10_000).build());
    gateway.provider().on("a", ScriptedProvider.fails(FailureKind.SERVER_ERROR)).on("b", ScriptedProvider.httpStatus(400));

    GatewayResponse response = gateway.chat(body(500));

    assertEquals(400, response.status(), response.bodyText());
    assertEquals(0, used("tpm", ScopeKey.GLOBAL));
  }

  @Test
  void aTargetWhoseOwnLimitIsSpentIsSkippedNotFailed() {
    gateway(tokensPerMinute("per-target", 100).with("scope", List.of("target")).build());
    gateway.provider().on("a", using(60, 60)).on("b", using(1, 2));
    assertEquals("a", gateway.chat(body(10)).header("x-tollgate-target"));

    GatewayResponse second = gateway.chat(body(10));

    assertEquals(200, second.status(), second.bodyText());
    assertEquals("b", second.header("x-tollgate-target"), "a is over its own limit: routing falls back to b");
    assertEquals(List.of("a", "b"), gateway.provider().calledTargets());
    assertEquals(3, used("per-target", "target=b"));
    assertEquals(1.0, gateway.metrics().sum(MetricNames.LIMIT_TARGET_SKIPPED));
    assertEquals(Optional.empty(), Optional.ofNullable(second.header("retry-after-ms")), "the skip's retry hint is gone");

    gateway.provider().on("b", using(200, 0));
    gateway.chat(body(10)); // b goes over as well
    GatewayResponse third = gateway.chat(body(10));
    assertEquals(429, third.status(), "every target over its own limit: 429");
    assertTrue(GatewayHarness.errorMessage(third).contains("'per-target'"));
  }

  @Test
  void clampLowersMaxTokensToWhatIsLeftInsteadOfRefusing() {
    gateway(tokensPerMinute("tpm", 1_000).with("clampMaxTokens", true).build());
    gateway.provider().on("a", using(100, 700));
    assertEquals(200, gateway.chat(body(50)).status());

    GatewayResponse clamped = gateway.chat(body(500));

    assertEquals(200, clamped.status(), clamped.bodyText());
    long sent = gateway.provider().calls().get(1).request().maxCompletionTokens();
    assertTrue(sent > 0 && sent < 200, "max_tokens lowered to the room left after the prompt: " + sent);
    assertEquals(500, Json.parse(body(500)).path("max_tokens").asLong());
  }

  @Test
  void clampAlsoCapsARequestWithoutMaxTokensAtThePolicyDefault() {
    gateway(tokensPerMinute("tpm", 100_000).with("clampMaxTokens", true).with("defaultMaxTokens", 256).build());

    assertEquals(200, gateway.chat(body(0)).status());

    assertEquals(256, gateway.provider().calls().getFirst().request().maxCompletionTokens());
  }

  @Test
  void aRequestLargerThanTheWholeLimitIsTooLarge() {
    gateway(tokensPerMinute("tpm", 100).build());

    GatewayResponse refused = gateway.chat(body(5_000));

    assertEquals(429, refused.status());
    assertTrue(GatewayHarness.errorMessage(refused).contains("Request too large"), GatewayHarness.errorMessage(refused));
    assertTrue(gateway.provider().calls().isEmpty());
  }

  @Test
  void aStreamCutMidwayWithoutUsageIsSettledToWhatWasStreamed() {
    gateway(tokensPerMinute("tpm", 100_000).build());
    gateway.provider().onStream("a", call -> new CutStream(List.of("one two three ", "four five six")));
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.put("stream", true).put("max_tokens", 5_000);

    GatewayResponse response = gateway.chat(Json.text(body));

    assertEquals(200, response.status());
    assertTrue(response.bodyText().contains("upstream_stream_interrupted"), response.bodyText());
    long used = used("tpm", ScopeKey.GLOBAL);
    // "hello" prompt (about 8 tokens with framing) plus about six answer words: nothing like the 5,000 reserved
    assertTrue(used >= 8 && used < 40, "settled to prompt + streamed tokens: " + used);
  }

  @Test
  void aStreamWithUsageIsSettledToIt() {
    gateway(tokensPerMinute("tpm", 100_000).build());
    gateway.provider().onStream("a", call -> new BufferedChunkStream(List.of(chunk("hi")), new Usage(7, 9, 16)));
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.put("stream", true).put("max_tokens", 5_000);

    assertEquals(200, gateway.chat(Json.text(body)).status());

    assertEquals(16, used("tpm", ScopeKey.GLOBAL));
  }

  @Test
  void scopesCombineConsumerAndHeaderAndAMissingHeaderSharesOneCounter() {
    gateway(ConfigItems.limit("per-tenant").with("metric", "requests").with("limit", 5).with("window", "1m")
        .with("scope", List.of("consumer", "header:X-Tenant")).build());
    Map<String, String> acme = Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY, "x-tenant", "acme|corp");
    Map<String, String> none = Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY);

    gateway.send("POST", GatewayHarness.CHAT_PATH, acme, GatewayHarness.chatBody("chat"));
    gateway.send("POST", GatewayHarness.CHAT_PATH, none, GatewayHarness.chatBody("chat"));
    gateway.send("POST", GatewayHarness.CHAT_PATH, none, GatewayHarness.chatBody("chat"));

    assertEquals(1, used("per-tenant", "consumer=harness|header:x-tenant=acme%7Ccorp"));
    assertEquals(2, used("per-tenant", "consumer=harness|header:x-tenant="));
  }

  @Test
  void policiesFilteredToOtherGroupsOrModelsCountNothing() {
    gateway(tokensPerMinute("free-only", 1).with("groups", List.of("free")).build(),
        tokensPerMinute("other-model", 1).with("models", List.of("other")).build());

    GatewayResponse response = gateway.chat(body(10));

    assertEquals(200, response.status());
    assertNull(response.header("x-ratelimit-limit-tokens"));
  }

  @Test
  void aCostBudgetChargesTheTargetsPricesInMicroDollars() {
    List<ConfigItem> items = List.of(
        ConfigItems.scriptedTarget("chat", "a").with("priceInputPerMillion", 2.5).with("priceOutputPerMillion", 10).build(),
        ConfigItems.limit("budget").with("metric", "costUsd").with("limit", 1).with("window", "1m").build());
    gateway = GatewayHarness.withQuotaStore(items, store, START);
    gateway.provider().on("a", using(1_000, 2_000));

    GatewayResponse response = gateway.chat(body(2_000));

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(22_500, used("budget", ScopeKey.GLOBAL), "1000 x $2.50/M + 2000 x $10/M = $0.0225");
    assertEquals("1", response.header("x-tollgate-budget-limit-usd"));
  }

  @Test
  void aTargetWithoutPricesIsChargedFromThePriceTableByItsModel() {
    List<ConfigItem> items = List.of(
        ConfigItems.scriptedTarget("chat", "a").with("model", "gpt-4o").build(),
        ConfigItems.price("gpt-4o").with("inputPerMillion", 2.5).with("outputPerMillion", 10).build(),
        ConfigItems.limit("budget").with("metric", "costUsd").with("limit", 1).with("window", "1m").build());
    gateway = GatewayHarness.withQuotaStore(items, store, START);
    gateway.provider().on("a", using(1_000, 2_000));

    assertEquals(200, gateway.chat(body(2_000)).status());

    assertEquals(22_500, used("budget", ScopeKey.GLOBAL));
  }

  @Test
  void embeddingsCountTheirInputTokens() {
    gateway(tokensPerMinute("tpm", 100_000).with("metric", "promptTokens").build());

    GatewayResponse response =
        gateway.send("POST", "/v1/embeddings", Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY),
            "{\"model\":\"chat\",\"input\":[\"toll\",\"gate\"]}");

    assertEquals(200, response.status(), response.bodyText());
    assertTrue(used("tpm", ScopeKey.GLOBAL) > 0);
  }

  static ObjectNode chunk(String content) {
    ObjectNode chunk = Json.object();
    chunk.put("id", "chatcmpl-cut").put("object", "chat.completion.chunk").put("created", 1).put("model", "m");
    chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", content);
    return chunk;
  }

  /** Streams its chunks, then breaks as a dropped connection would, having reported no usage. */
  static final class CutStream implements ChunkStream {
    private final List<String> texts;
    private int next;

    CutStream(List<String> texts) {
      this.texts = texts;
    }

    @Override
    public Optional<ObjectNode> next() throws UpstreamFailure {
      if (next < texts.size()) {
        return Optional.of(chunk(texts.get(next++)));
      }
      throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "connection reset");
    }

    @Override
    public Usage usage() {
      return Usage.NONE;
    }

    @Override
    public void close() {}
  }

  @Test
  void anthropicFormatClientsAreLimitedTooAndRefusedInAnthropicsShape() {
    gateway(ConfigItems.limit("rpm").with("metric", "requests").with("limit", 1).with("window", "1m").build());
    Map<String, String> headers = Map.of("x-api-key", GatewayHarness.API_KEY, "anthropic-version", "2023-06-01");
    String body = "{\"model\":\"chat\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertEquals(200, gateway.send("POST", "/v1/messages", headers, body).status());

    GatewayResponse refused = gateway.send("POST", "/v1/messages", headers, body);

    assertEquals(429, refused.status());
    assertEquals("error", GatewayHarness.json(refused).path("type").asText());
    assertEquals("rate_limit_error", GatewayHarness.json(refused).path("error").path("type").asText());
    assertTrue(GatewayHarness.json(refused).path("error").path("message").asText().contains("'rpm'"));
    assertEquals("56", refused.header("retry-after"));
  }

  @Test
  void noPolicyMeansNoHeaders() {
    gateway();
    assertFalse(gateway.chatWith("chat").headers().containsKey("x-ratelimit-limit-tokens"));
  }
}
