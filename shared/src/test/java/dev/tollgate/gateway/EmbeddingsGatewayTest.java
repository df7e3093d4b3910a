package dev.tollgate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static dev.tollgate.testing.GatewayHarness.errorMessage;
import static dev.tollgate.testing.GatewayHarness.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.EmbeddingsResponse;
import dev.tollgate.api.Json;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.mock.HashEmbedding;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /v1/embeddings} through a real gateway: the endpoint, its errors, the mock model and an OpenAI-compatible upstream. */
class EmbeddingsGatewayTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final String PATH = "/v1/embeddings";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY);

  private final GatewayHarness harness =
      new GatewayHarness(
          List.of(
              ConfigItems.target("embed", "mock-embed").with("provider", "mock").with("model", "mock-embed").build(),
              ConfigItems.scriptedTarget("chat", "c").build()));

  private GatewayResponse embed(String body) {
    return harness.send("POST", PATH, AUTH, body);
  }

  @Test
  void theMockModelAnswersInOpenAisListShape() {
    GatewayResponse response = embed("{\"model\":\"embed\",\"input\":[\"hello\",\"world\",\"hello\"]}");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("application/json", response.header("content-type"));
    assertEquals("mock-embed", response.header(Gateway.TARGET));
    JsonNode body = json(response);
    assertEquals("list", body.path("object").asText());
    assertEquals("mock-embed", body.path("model").asText());
    assertEquals(3, body.path("data").size());
    JsonNode first = body.path("data").get(0);
    assertEquals("embedding", first.path("object").asText());
    assertEquals(0, first.path("index").asInt());
    assertEquals(MockProvider.DEFAULT_DIMENSIONS, first.path("embedding").size());
    assertEquals(first.path("embedding"), body.path("data").get(2).path("embedding"), "same text, same vector");
    assertNotEquals(first.path("embedding"), body.path("data").get(1).path("embedding"));
    assertEquals(6, body.at("/usage/prompt_tokens").asLong(), "5 characters are 2 estimated tokens, three times");
    assertEquals(6, body.at("/usage/total_tokens").asLong());
  }

  @Test
  void theMockModelHonoursDimensions() {
    JsonNode body = json(embed("{\"model\":\"embed\",\"input\":\"hello\",\"dimensions\":12}"));

    assertEquals(12, body.at("/data/0/embedding").size());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"model\":\"embed\"}|400|input|missing_required_parameter",
        "{\"model\":\"embed\",\"input\":[]}|400|input|invalid_value",
        "{\"model\":\"embed\",\"input\":\"a\",\"encoding_format\":\"hex\"}|400|encoding_format|invalid_value",
        "{\"model\":\"embed\",\"input\":\"a\",\"dimensions\":5000}|400|dimensions|invalid_value",
        "{\"model\":\"nope\",\"input\":\"a\"}|404|model|model_not_found",
        "{|400||invalid_json"
      })
  void invalidRequestsAreAnsweredInOpenAisErrorShape(String body, int status, String param, String code) {
    GatewayResponse response = embed(body);

    assertEquals(status, response.status(), response.bodyText());
    assertEquals(code, errorCode(response));
    assertEquals(param == null ? "" : param, json(response).at("/error/param").asText(""));
  }

  @Test
  void withoutAKeyIs401AndAGetIs405() {
    assertEquals(401, harness.send("POST", PATH, Map.of(), "{\"model\":\"embed\",\"input\":\"a\"}").status());
    assertEquals(405, harness.send("GET", PATH, AUTH, "").status());
  }

  @Test
  void chatStillWorksBesideEmbeddings() {
    assertEquals(200, harness.chatWith("chat").status());
  }

  /** Standard providers, one alias served by an OpenAI-compatible fake and one by Anthropic (which cannot embed). */
  private static GatewayHarness standard() {
    var items =
        List.of(
            ConfigItems.apiKey(),
            ConfigItems.target(
                "embed-small",
                "openai-embed",
                Map.of(
                    "provider", "openai",
                    "model", "text-embedding-3-small",
                    "baseUrl", FakeUpstream.baseUrl(upstream) + "/v1",
                    "credential", "env:OPENAI_KEY")),
            ConfigItems.target(
                "claude",
                "anthropic",
                Map.of("provider", "anthropic", "model", "claude-sonnet-4-5", "credential", "env:ANTHROPIC_KEY")));
    return GatewayHarness.withStandardProviders(
        new StaticConfigSource("embeddings test", items),
        Map.of("OPENAI_KEY", "Hk3sDf8Gj2Lp5Wq1", "ANTHROPIC_KEY", "Zt6yUi9Op3As7Df2"),
        Duration.ofMinutes(5));
  }

  @Test
  void anUpstreamThatIgnoresBase64GetsItsFloatsEncodedAtTheEdge() {
    float[] vector = {0.0123f, -0.75f, 1f};
    upstream.stubFor(
        post(anyUrl())
            .willReturn(FakeUpstream.json(200, EmbeddingsResponse.toJson(List.of(vector), "text-embedding-3-small", 4, false))));

    GatewayResponse response =
        standard()
            .send(
                "POST",
                PATH,
                AUTH,
                "{\"model\":\"embed-small\",\"input\":\"the quick brown fox\",\"encoding_format\":\"base64\"}");

    assertEquals(200, response.status(), response.bodyText());
    JsonNode body = json(response);
    assertArrayEquals(vector, EmbeddingsResponse.fromBase64(body.at("/data/0/embedding").asText()));
    assertEquals("text-embedding-3-small", body.path("model").asText());
    assertEquals(4, body.at("/usage/prompt_tokens").asLong());
    var sent = Json.parse(upstream.findAll(anyRequestedFor(anyUrl())).getFirst().getBodyAsString());
    assertEquals("text-embedding-3-small", sent.path("model").asText());
    assertEquals("/v1/embeddings", upstream.findAll(anyRequestedFor(anyUrl())).getFirst().getUrl());
  }

  @Test
  void embeddingsFromAnAliasWhoseProviderCannotEmbedIs400NamingTheAlias() {
    GatewayResponse response =
        standard().send("POST", PATH, AUTH, "{\"model\":\"claude\",\"input\":\"hello\"}");

    assertEquals(400, response.status(), response.bodyText());
    assertEquals("model_not_supported", errorCode(response));
    assertEquals("model", json(response).at("/error/param").asText());
    assertTrue(errorMessage(response).contains("'claude'") && errorMessage(response).contains("cannot embed"), response.bodyText());
  }

  @Test
  void theMockVectorIsTheHashEmbeddingOfTheText() {
    JsonNode body = json(embed("{\"model\":\"embed\",\"input\":\"tollgate\",\"encoding_format\":\"base64\"}"));

    assertArrayEquals(
        HashEmbedding.of("tollgate", MockProvider.DEFAULT_DIMENSIONS),
        EmbeddingsResponse.fromBase64(body.at("/data/0/embedding").asText()));
  }
}
