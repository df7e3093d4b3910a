package dev.tollgate.provider.gemini;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.Json;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.contract.WireMockFakeServer;
import dev.tollgate.provider.contract.WireScript;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gemini targets behind a real gateway built with the standard providers from config: a client
 * speaking OpenAI gets Gemini's answer, fails over from an unavailable Gemini target, and gets
 * Gemini's native stream as OpenAI events when it asks for one.
 */
class GeminiGatewayWireTest {

  @RegisterExtension static final WireMockExtension primary = FakeUpstream.server();
  @RegisterExtension static final WireMockExtension secondary = FakeUpstream.server();

  private static final String PRIMARY_KEY = "Zq7vLm2Pw9Rx4Tn8";
  private static final String SECONDARY_KEY = "Hk3sDf8Gj2Lp5Wq1";

  private static GatewayHarness gateway() {
    var items =
        List.of(
            ConfigItems.apiKey(),
            ConfigItems.target(
                "chat",
                "gemini-pro",
                Map.of(
                    "provider", "gemini",
                    "model", "gemini-2.5-pro",
                    "baseUrl", FakeUpstream.baseUrl(primary) + "/v1beta",
                    "credential", "env:PRIMARY_KEY",
                    "priority", 1)),
            ConfigItems.target(
                "chat",
                "gemini-flash",
                Map.of(
                    "provider", "gemini",
                    "model", "gemini-2.5-flash",
                    "baseUrl", FakeUpstream.baseUrl(secondary) + "/v1beta",
                    "credential", "env:SECONDARY_KEY",
                    "priority", 2)));
    return GatewayHarness.withStandardProviders(
        new StaticConfigSource("gemini test", items),
        Map.of("PRIMARY_KEY", PRIMARY_KEY, "SECONDARY_KEY", SECONDARY_KEY),
        Duration.ofMinutes(5));
  }

  private static int received(WireMockExtension server) {
    return server.findAll(anyRequestedFor(anyUrl())).size();
  }

  @Test
  void anOpenAiClientGetsGeminisAnswer() {
    primary.stubFor(
        post(urlPathEqualTo("/v1beta/models/gemini-2.5-pro:generateContent"))
            .withHeader("x-goog-api-key", equalTo(PRIMARY_KEY))
            .willReturn(GeminiAnswers.answers("Hello from Gemini.")));

    GatewayResponse response = gateway().chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("gemini-pro", response.header(Gateway.TARGET));
    JsonNode completion = Json.parse(response.bodyText());
    assertEquals("chat.completion", completion.path("object").asText());
    assertEquals("Hello from Gemini.", completion.at("/choices/0/message/content").asText());
    assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
    assertEquals(18, completion.at("/usage/total_tokens").asLong());
    JsonNode sent = Json.parse(primary.findAll(anyRequestedFor(anyUrl())).getFirst().getBodyAsString());
    assertEquals(Json.parse("[{\"role\":\"user\",\"parts\":[{\"text\":\"hello\"}]}]"), sent.path("contents"));
  }

  @Test
  void anUnavailableGeminiTargetFailsOverToTheNext() {
    primary.stubFor(
        post(anyUrl())
            .willReturn(GeminiAnswers.error(503, "The model is overloaded. Please try again later.", "UNAVAILABLE")));
    secondary.stubFor(
        post(urlPathEqualTo("/v1beta/models/gemini-2.5-flash:generateContent"))
            .withHeader("x-goog-api-key", equalTo(SECONDARY_KEY))
            .willReturn(GeminiAnswers.answers("From the fallback.")));
    GatewayHarness gateway = gateway();

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("gemini-flash", response.header(Gateway.TARGET));
    assertEquals("From the fallback.", Json.parse(response.bodyText()).at("/choices/0/message/content").asText());
    assertEquals(1, received(primary));
    assertEquals(1, received(secondary));
    assertEquals(1, gateway.metrics().sum(MetricNames.FALLBACKS));
    assertFalse(response.bodyText().contains(PRIMARY_KEY));
  }

  @Test
  void aStreamingClientGetsGeminisStreamAsOpenAiEvents() {
    primary.stubFor(
        post(urlPathEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent"))
            .withQueryParam("alt", equalTo("sse"))
            .withHeader("x-goog-api-key", equalTo(PRIMARY_KEY))
            .willReturn(
                WireMockFakeServer.response(
                    new GeminiContractTest.GeminiWire()
                        .streamedText(List.of("Streamed ", "from ", "Gemini."), new WireScript.Tokens(11, 7, 0)))));
    String body =
        """
        {"model": "chat", "stream": true, "stream_options": {"include_usage": true},
         "messages": [{"role": "user", "content": "hello"}]}
        """;

    GatewayResponse response = gateway().chat(body);

    assertEquals(200, response.status(), response.bodyText());
    assertTrue(response.header("content-type").startsWith("text/event-stream"), response.header("content-type"));
    assertFalse(
        primary.findAll(anyRequestedFor(anyUrl())).getFirst().getBodyAsString().contains("stream"),
        "Gemini takes the stream from the method, not from a body field");
    String events = response.bodyText();
    assertTrue(events.endsWith("data: [DONE]\n\n"), events);
    List<JsonNode> chunks = new ArrayList<>();
    for (String frame : events.split("\n\n")) {
      if (!frame.equals("data: [DONE]")) {
        chunks.add(Json.parse(frame.substring("data: ".length())));
      }
    }
    StringBuilder content = new StringBuilder();
    String finish = null;
    for (JsonNode chunk : chunks) {
      assertEquals("chat.completion.chunk", chunk.path("object").asText());
      JsonNode choice = chunk.path("choices").path(0);
      content.append(choice.path("delta").path("content").asText(""));
      if (choice.hasNonNull("finish_reason")) {
        finish = choice.path("finish_reason").asText();
      }
    }
    assertEquals("Streamed from Gemini.", content.toString());
    assertEquals("stop", finish);
    assertEquals(18, chunks.getLast().at("/usage/total_tokens").asLong(), "the usage chunk comes last");
  }
}
