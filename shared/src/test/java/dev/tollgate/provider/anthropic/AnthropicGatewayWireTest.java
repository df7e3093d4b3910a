package dev.tollgate.provider.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigError;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.StandardProviders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real gateway with the standard providers over two Anthropic targets on real HTTP: an
 * overloaded first target fails over to the second, a streaming client gets a whole SSE stream
 * from the buffered answer, and config names what an Anthropic target needs.
 */
class AnthropicGatewayWireTest {

  @RegisterExtension static final WireMockExtension primary = FakeUpstream.server();
  @RegisterExtension static final WireMockExtension secondary = FakeUpstream.server();

  private static final String PRIMARY_SECRET = "Vb6nQw3Er8Ty1Ui5";
  private static final String SECONDARY_SECRET = "Mk2jHg7Fd4Sa9Lp0";

  private static ConfigItem claude(String id, WireMockExtension server, String keyVariable, int priority) {
    return ConfigItems.target(
        "claude",
        id,
        Map.of(
            "provider", "anthropic",
            "model", "claude-sonnet-4-5",
            "baseUrl", FakeUpstream.baseUrl(server) + "/v1",
            "credential", "env:" + keyVariable,
            "priority", priority,
            "timeoutMs", 10_000));
  }

  private static GatewayHarness gateway() {
    List<ConfigItem> items =
        List.of(
            ConfigItems.apiKey(),
            claude("claude-primary", primary, "PRIMARY_KEY", 1),
            claude("claude-secondary", secondary, "SECONDARY_KEY", 2));
    return GatewayHarness.withStandardProviders(
        new StaticConfigSource("anthropic test", items),
        Map.of("PRIMARY_KEY", PRIMARY_SECRET, "SECONDARY_KEY", SECONDARY_SECRET),
        Duration.ofMinutes(5));
  }

  private static int received(WireMockExtension server) {
    return server.findAll(anyRequestedFor(anyUrl())).size();
  }

  @Test
  void anOverloadedAnthropicTargetFailsOverToTheNext() {
    primary.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(AnthropicBodies.overloaded()));
    secondary.stubFor(
        post(urlPathEqualTo("/v1/messages"))
            .withHeader("x-api-key", equalTo(SECONDARY_SECRET))
            .withHeader("anthropic-version", equalTo("2023-06-01"))
            .withHeader("Authorization", absent())
            .withRequestBody(matchingJsonPath("$.model", equalTo("claude-sonnet-4-5")))
            .withRequestBody(matchingJsonPath("$.messages[0].content[0].text", equalTo("hello")))
            .willReturn(AnthropicBodies.answers("Hello from the second Claude.")));
    GatewayHarness gateway = gateway();

    GatewayResponse response = gateway.chatWith("claude");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("claude-secondary", response.header(Gateway.TARGET));
    JsonNode completion = GatewayHarness.json(response);
    assertEquals("chat.completion", completion.path("object").asText());
    assertEquals("Hello from the second Claude.", completion.at("/choices/0/message/content").asText());
    assertEquals(32, completion.at("/usage/total_tokens").asLong());
    assertEquals(1, received(primary));
    assertEquals(1, received(secondary));
    assertEquals(1, gateway.metrics().sum(MetricNames.FALLBACKS));
    assertFalse(response.bodyText().contains(PRIMARY_SECRET));
  }

  @Test
  void aStreamingClientGetsTheWholeAnswerAsServerSentEvents() {
    primary.stubFor(
        post(urlPathEqualTo("/v1/messages"))
            .withRequestBody(matchingJsonPath("$.stream", absent()))
            .willReturn(AnthropicBodies.answers("Streamed from Claude.")));

    GatewayResponse response =
        gateway()
            .chat(
                "{\"model\":\"claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, response.status(), response.bodyText());
    assertTrue(response.header("content-type").startsWith("text/event-stream"));
    String body = response.bodyText();
    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    List<JsonNode> chunks = new ArrayList<>();
    for (String frame : body.split("\n\n")) {
      assertTrue(frame.startsWith("data: "), frame);
      String data = frame.substring("data: ".length());
      if (!data.equals("[DONE]")) {
        chunks.add(Json.parse(data));
      }
    }
    StringBuilder content = new StringBuilder();
    String finishReason = null;
    for (JsonNode chunk : chunks) {
      assertEquals("chat.completion.chunk", chunk.path("object").asText());
      content.append(chunk.at("/choices/0/delta/content").asText(""));
      if (chunk.at("/choices/0/finish_reason").isTextual()) {
        finishReason = chunk.at("/choices/0/finish_reason").asText();
      }
    }
    assertEquals("Streamed from Claude.", content.toString());
    assertEquals("stop", finishReason);
    assertEquals(32, chunks.getLast().at("/usage/total_tokens").asLong());
    assertEquals(0, received(secondary));
  }

  @Test
  void askingForSeveralChoicesIsA400NamingNAndReachesNoUpstream() {
    GatewayResponse response =
        gateway().chat("{\"model\":\"claude\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(400, response.status(), response.bodyText());
    assertEquals("n", GatewayHarness.json(response).at("/error/param").asText());
    assertEquals(0, received(primary));
    assertEquals(0, received(secondary));
  }

  @Test
  void configRequiresACredentialAModelAndAWellFormedVersion() {
    ConfigValidator validator = new ConfigValidator(StandardProviders.registry());
    List<ConfigItem> valid =
        List.of(
            ConfigItems.target(
                "claude",
                "ok",
                Map.of("provider", "anthropic", "model", "claude-haiku-4-5", "credential", "env:K",
                    "anthropicVersion", "2023-06-01")));
    assertTrue(validator.validate(valid, Instant.now()).valid(), () -> validator.validate(valid, Instant.now()).errors().toString());

    List<ConfigError> errors =
        validator
            .validate(
                List.of(
                    ConfigItems.target("claude", "no-key", Map.of("provider", "anthropic", "model", "claude-haiku-4-5")),
                    ConfigItems.target("claude", "no-model", Map.of("provider", "anthropic", "credential", "env:K")),
                    ConfigItems.target(
                        "claude",
                        "bad-version",
                        Map.of("provider", "anthropic", "model", "m", "credential", "env:K", "anthropicVersion", "latest"))),
                Instant.now())
            .errors();
    assertEquals(3, errors.size(), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> "credential".equals(e.field())), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> "model".equals(e.field())), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> "anthropicVersion".equals(e.field())), errors.toString());
  }
}
