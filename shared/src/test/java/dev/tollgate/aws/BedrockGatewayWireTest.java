package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.Json;
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
 * A {@code bedrock} target configured like any other, behind a real gateway: config validation
 * accepts it without a credential, a client speaking OpenAI gets Bedrock's answer, and a
 * throttled Bedrock target fails over to the next one.
 */
class BedrockGatewayWireTest {

  @RegisterExtension static final WireMockExtension bedrock = FakeUpstream.server();
  @RegisterExtension static final WireMockExtension fallback = FakeUpstream.server();

  private static GatewayHarness gateway() {
    var items =
        List.of(
            ConfigItems.apiKey(),
            ConfigItems.target(
                "chat",
                "nova",
                Map.of(
                    "provider", "bedrock",
                    "model", "us.amazon.nova-pro-v1:0",
                    "baseUrl", FakeUpstream.baseUrl(bedrock),
                    "region", "us-west-2",
                    "priority", 1)),
            ConfigItems.target(
                "chat",
                "openai",
                Map.of(
                    "provider", "openai",
                    "model", "gpt-4o-mini",
                    "baseUrl", FakeUpstream.baseUrl(fallback) + "/v1",
                    "credential", "env:OPENAI_KEY",
                    "priority", 2)));
    return GatewayHarness.withStandardProviders(
        new StaticConfigSource("bedrock test", items),
        Map.of("OPENAI_KEY", "Hk3sDf8Gj2Lp5Wq1"),
        Duration.ofMinutes(5),
        (registry, clock) -> AwsProviders.register(registry, "us-east-1", clock));
  }

  @Test
  void anOpenAiClientGetsBedrocksAnswer() {
    bedrock.stubFor(post(anyUrl()).willReturn(BedrockAnswers.text("Hello from Bedrock.")));

    GatewayResponse response = gateway().chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("nova", response.header(Gateway.TARGET));
    var completion = Json.parse(response.bodyText());
    assertEquals("Hello from Bedrock.", completion.at("/choices/0/message/content").asText());
    assertEquals(28, completion.at("/usage/total_tokens").asLong());
    assertEquals(0, fallback.findAll(anyRequestedFor(anyUrl())).size());
  }

  @Test
  void aThrottledBedrockTargetFailsOverToTheNext() {
    bedrock.stubFor(post(anyUrl()).willReturn(BedrockAnswers.error(429, "ThrottlingException", "Too many requests")));
    fallback.stubFor(post(anyUrl()).willReturn(FakeUpstream.answers("From the fallback.")));
    GatewayHarness gateway = gateway();

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("openai", response.header(Gateway.TARGET));
    assertEquals("From the fallback.", Json.parse(response.bodyText()).at("/choices/0/message/content").asText());
    assertEquals(1, bedrock.findAll(anyRequestedFor(anyUrl())).size());
    assertEquals(1, gateway.metrics().sum(MetricNames.FALLBACKS));
  }
}
