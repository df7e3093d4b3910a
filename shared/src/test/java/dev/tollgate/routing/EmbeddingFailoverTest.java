package dev.tollgate.routing;

import static dev.tollgate.testing.ConfigItems.scriptedTarget;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static dev.tollgate.testing.GatewayHarness.errorMessage;
import static dev.tollgate.testing.GatewayHarness.json;
import static dev.tollgate.testing.ScriptedProvider.asEmbed;
import static dev.tollgate.testing.ScriptedProvider.embedFails;
import static dev.tollgate.testing.ScriptedProvider.errorBody;
import static dev.tollgate.testing.ScriptedProvider.httpStatus;
import static dev.tollgate.testing.ScriptedProvider.rateLimited;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.EmbeddingsResponse;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.mock.HashEmbedding;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Embeddings go through the same failover loop as chat: which failures move on, and what the client sees. */
class EmbeddingFailoverTest {

  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY);

  /** Targets e1..en of alias "embed", one per priority tier, so the attempt order is fixed. */
  private static GatewayHarness tiers(int count, ConfigItem... extra) {
    List<ConfigItem> items = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      items.add(scriptedTarget("embed", "e" + i).with("priority", i).build());
    }
    items.addAll(List.of(extra));
    return new GatewayHarness(items);
  }

  private static GatewayResponse embed(GatewayHarness harness, String body) {
    return harness.send("POST", "/v1/embeddings", AUTH, body);
  }

  @ParameterizedTest
  @EnumSource(value = FailureKind.class, names = "REQUEST_REJECTED", mode = EnumSource.Mode.EXCLUDE)
  void aRetryableFailureMovesOnToTheNextTarget(FailureKind kind) {
    GatewayHarness harness = tiers(2);
    harness.provider().onEmbed("e1", embedFails(kind));

    GatewayResponse response = embed(harness, "{\"model\":\"embed\",\"input\":[\"a\",\"bb\"]}");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(List.of("e1", "e2"), harness.provider().embeddedTargets());
    assertEquals("e2", response.header(Gateway.TARGET));
    assertEquals("e2", json(response).path("model").asText(), "the scripted provider names the target as model");
    assertEquals(1, harness.metrics().sum(MetricNames.FALLBACKS));
    assertEquals(1, harness.metrics().sum(MetricNames.UPSTREAM_FAILURES));
  }

  @Test
  void anAnswerWithTheWrongNumberOfVectorsIsMalformedAndMovesOn() {
    GatewayHarness harness = tiers(2);
    harness.provider().onEmbed("e1", call -> new EmbeddingResponse(List.of(new float[] {1f}), "e1", 1));

    GatewayResponse response = embed(harness, "{\"model\":\"embed\",\"input\":[\"a\",\"b\"]}");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("e2", response.header(Gateway.TARGET));
    assertEquals(2, json(response).path("data").size());
  }

  @Test
  void aRejectedRequestReturnsTheUpstreamsErrorAtOnce() {
    GatewayHarness harness = tiers(3);
    harness.provider().onEmbed("e1", asEmbed(httpStatus(400, Map.of(), errorBody("This model does not support specifying dimensions."))));

    GatewayResponse response = embed(harness, "{\"model\":\"embed\",\"input\":\"a\",\"dimensions\":64}");

    assertEquals(400, response.status());
    assertEquals("upstream_rejected", errorCode(response));
    assertTrue(errorMessage(response).contains("does not support specifying dimensions"), response.bodyText());
    assertEquals(List.of("e1"), harness.provider().embeddedTargets());
  }

  @Test
  void whenEveryTargetIsRateLimitedTheClientGets503WithTheShortestRetryAfter() {
    GatewayHarness harness = tiers(2);
    harness.provider().onEmbed("e1", asEmbed(rateLimited(20))).onEmbed("e2", asEmbed(rateLimited(7)));

    GatewayResponse response = embed(harness, "{\"model\":\"embed\",\"input\":\"a\"}");

    assertEquals(503, response.status());
    assertEquals("7", response.header("retry-after"));
    assertTrue(errorMessage(response).contains("e1: rate limited") && errorMessage(response).contains("e2: rate limited"), response.bodyText());
  }

  @Test
  void theAttemptLimitAppliesToEmbeddingsToo() {
    GatewayHarness harness = tiers(4, ConfigItems.route("embed").with("maxAttempts", 2).build());
    for (int i = 1; i <= 4; i++) {
      harness.provider().onEmbed("e" + i, embedFails(FailureKind.SERVER_ERROR));
    }

    GatewayResponse response = embed(harness, "{\"model\":\"embed\",\"input\":\"a\"}");

    assertEquals(502, response.status());
    assertEquals(List.of("e1", "e2"), harness.provider().embeddedTargets());
    assertTrue(errorMessage(response).contains("tried 2:"), response.bodyText());
  }

  @Test
  void usageIsWhatTheAnsweringTargetCounted() {
    GatewayHarness harness = tiers(1);

    JsonNode body = json(embed(harness, "{\"model\":\"embed\",\"input\":[\"a\",\"b\",\"c\"]}"));

    assertEquals(3, body.at("/usage/prompt_tokens").asLong(), "one token per input from the scripted provider");
    assertEquals(3, body.at("/usage/total_tokens").asLong());
  }

  @Test
  void base64IsEncodedAtTheEdgeFromTheProvidersVectors() {
    GatewayHarness harness = tiers(1);

    JsonNode body = json(embed(harness, "{\"model\":\"embed\",\"input\":[\"first\",\"second\"],\"encoding_format\":\"base64\"}"));

    for (int i = 0; i < 2; i++) {
      JsonNode item = body.path("data").get(i);
      assertEquals(i, item.path("index").asInt());
      assertTrue(item.path("embedding").isTextual(), item.toString());
      assertArrayEquals(
          HashEmbedding.of(i == 0 ? "first" : "second", ScriptedProvider.EMBEDDING_DIMENSIONS),
          EmbeddingsResponse.fromBase64(item.path("embedding").asText()));
    }
  }

  @Test
  void aTargetWhoseProviderRefusesTheInputIs400BeforeAnyCall() {
    // the mock provider embeds text only; its sibling could take tokens, but the answer must not depend on the draw
    GatewayHarness harness =
        new GatewayHarness(
            List.of(
                scriptedTarget("embed", "scripted").with("priority", 1).build(),
                ConfigItems.target("embed", "mocked").with("provider", "mock").with("priority", 2).build()));

    GatewayResponse response = embed(harness, "{\"model\":\"embed\",\"input\":[[15339, 1917]]}");

    assertEquals(400, response.status(), response.bodyText());
    assertEquals("input", json(response).at("/error/param").asText());
    assertTrue(errorMessage(response).contains("'embed'") && errorMessage(response).contains("'mocked'"), response.bodyText());
    assertEquals(List.of(), harness.provider().embeddedTargets());
  }

  @Test
  void aDisabledTargetIsNotAskedWhetherItCanServe() {
    GatewayHarness harness =
        new GatewayHarness(
            List.of(
                scriptedTarget("embed", "scripted").build(),
                ConfigItems.target("embed", "mocked").with("provider", "mock").with("enabled", false).build()));

    GatewayResponse response = embed(harness, "{\"model\":\"embed\",\"input\":[[15339, 1917]]}");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(List.of("scripted"), harness.provider().embeddedTargets());
  }
}
