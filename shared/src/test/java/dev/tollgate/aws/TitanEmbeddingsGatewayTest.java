package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bedrock-titan-embed} targets behind a real gateway: config accepts them with no model and
 * no credential, a throttled one fails over to the next, Titan's token counts become usage, and
 * the type refuses chat and dimensions Titan does not offer before calling anything.
 */
class TitanEmbeddingsGatewayTest {

  @RegisterExtension static final WireMockExtension primary = FakeUpstream.server();
  @RegisterExtension static final WireMockExtension secondary = FakeUpstream.server();

  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY);

  private static GatewayHarness gateway() {
    var items =
        List.of(
            ConfigItems.apiKey(),
            ConfigItems.target(
                "embed-titan",
                "titan-east",
                Map.of("provider", "bedrock-titan-embed", "baseUrl", FakeUpstream.baseUrl(primary), "priority", 1)),
            ConfigItems.target(
                "embed-titan",
                "titan-west",
                Map.of(
                    "provider", "bedrock-titan-embed",
                    "model", "amazon.titan-embed-text-v2:0",
                    "region", "us-west-2",
                    "baseUrl", FakeUpstream.baseUrl(secondary),
                    "priority", 2)));
    return GatewayHarness.withStandardProviders(
        new StaticConfigSource("titan test", items),
        Map.of(),
        Duration.ofMinutes(5),
        (registry, clock) -> AwsProviders.register(registry, "us-east-1", clock));
  }

  private static GatewayResponse embed(GatewayHarness gateway, String body) {
    return gateway.send("POST", "/v1/embeddings", AUTH, body);
  }

  @Test
  void aThrottledTitanTargetFailsOverToTheNextAndUsageIsTitansCount() {
    primary.stubFor(post(anyUrl()).willReturn(BedrockAnswers.error(429, "ThrottlingException", "Too many requests")));
    secondary.stubFor(post(anyUrl()).willReturn(okJson("{\"embedding\": [0.6, 0.8], \"inputTextTokenCount\": 4}")));
    GatewayHarness gateway = gateway();

    GatewayResponse response = embed(gateway, "{\"model\":\"embed-titan\",\"input\":[\"one\",\"two\"],\"dimensions\":512}");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("titan-west", response.header(Gateway.TARGET));
    JsonNode body = GatewayHarness.json(response);
    assertEquals(2, body.path("data").size());
    assertEquals(0.8, body.at("/data/1/embedding/1").asDouble(), 1e-6);
    assertEquals("amazon.titan-embed-text-v2:0", body.path("model").asText());
    assertEquals(8, body.at("/usage/prompt_tokens").asLong(), "4 tokens for each of two calls");
    assertEquals(1, primary.findAll(anyRequestedFor(anyUrl())).size());
    assertEquals(2, secondary.findAll(anyRequestedFor(anyUrl())).size(), "one InvokeModel per input");
    assertEquals(1, gateway.metrics().sum(MetricNames.FALLBACKS));
  }

  @Test
  void aChatRequestToAnEmbeddingsOnlyAliasIs400NamingTheAlias() {
    GatewayResponse response = gateway().chatWith("embed-titan");

    assertEquals(400, response.status(), response.bodyText());
    assertEquals("model_not_supported", GatewayHarness.errorCode(response));
    String message = GatewayHarness.errorMessage(response);
    assertTrue(message.contains("'embed-titan'") && message.contains("embeddings only"), message);
    assertEquals(0, primary.findAll(anyRequestedFor(anyUrl())).size() + secondary.findAll(anyRequestedFor(anyUrl())).size());
  }

  @Test
  void dimensionsTitanDoesNotOfferAre400BeforeAnyCall() {
    GatewayResponse response = embed(gateway(), "{\"model\":\"embed-titan\",\"input\":\"x\",\"dimensions\":1536}");

    assertEquals(400, response.status(), response.bodyText());
    assertEquals("dimensions", GatewayHarness.json(response).at("/error/param").asText());
    assertTrue(GatewayHarness.errorMessage(response).contains("'embed-titan'"), response.bodyText());
    assertEquals(0, primary.findAll(anyRequestedFor(anyUrl())).size());
  }
}
