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
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigError;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.contract.NativeAnswer;
import dev.tollgate.provider.contract.SseFrames;
import dev.tollgate.provider.contract.WireMockFakeServer;
import dev.tollgate.provider.contract.WireScript;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real gateway with the standard providers over two Anthropic targets on real HTTP: an
 * overloaded first target fails over to the second, a streaming client gets Claude's native
 * stream as OpenAI events, a stream failing before its first chunk fails over while one breaking
 * after it ends with an error event, and config names what an Anthropic target needs.
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

  private static final String STREAMING_CHAT =
      "{\"model\":\"claude\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static final AnthropicContractTest.AnthropicWire WIRE = new AnthropicContractTest.AnthropicWire();

  private static void streams(WireMockExtension server, NativeAnswer answer) {
    server.stubFor(
        post(urlPathEqualTo("/v1/messages"))
            .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
            .willReturn(WireMockFakeServer.response(answer)));
  }

  /** The data of each SSE frame, in order, checking every frame is a plain data frame. */
  private static List<String> frames(String body) {
    List<String> data = new ArrayList<>();
    for (String frame : body.split("\n\n")) {
      assertTrue(frame.startsWith("data: "), frame);
      data.add(frame.substring("data: ".length()));
    }
    return data;
  }

  @Test
  void aStreamingClientGetsClaudesStreamAsOpenAiEvents() {
    streams(primary, WIRE.streamedText(List.of("Streamed ", "from ", "Claude."), new WireScript.Tokens(1225, 7, 1200)));

    GatewayResponse response = gateway().chat(STREAMING_CHAT);

    assertEquals(200, response.status(), response.bodyText());
    assertTrue(response.header("content-type").startsWith("text/event-stream"));
    String body = response.bodyText();
    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    List<JsonNode> chunks = new ArrayList<>();
    for (String data : frames(body)) {
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
    assertEquals(
        Json.parse(
            "{\"prompt_tokens\":1225,\"completion_tokens\":7,\"total_tokens\":1232,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1200}}"),
        chunks.getLast().path("usage"),
        "the usage chunk comes last, cache reads included");
    assertEquals(0, received(secondary));
  }

  /** {@code message_start} and a {@code ping}: an accepted stream that has said nothing yet. */
  private static SseFrames opening() {
    return SseFrames.lf()
        .event("message_start", AnthropicContractTest.AnthropicWire.startEvent())
        .event("ping", Json.object().put("type", "ping"));
  }

  static Stream<Arguments> failuresBeforeTheFirstChunk() {
    return Stream.of(
        Arguments.of("overloaded before the stream opens", AnthropicBodies.overloaded()),
        Arguments.of(
            "an overloaded error event before any content",
            WireMockFakeServer.response(
                opening()
                    .event("error", AnthropicContractTest.AnthropicWire.errorBody("overloaded_error", "Overloaded"))
                    .answer())),
        Arguments.of("a stream that ends before any content", WireMockFakeServer.response(opening().answer())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failuresBeforeTheFirstChunk")
  void aStreamFailingBeforeItsFirstChunkFailsOverToTheNextTarget(String name, ResponseDefinitionBuilder failure) {
    primary.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(failure));
    streams(secondary, WIRE.streamedText(List.of("From the ", "second Claude."), new WireScript.Tokens(25, 7, 0)));
    GatewayHarness gateway = gateway();

    GatewayResponse response = gateway.chat(STREAMING_CHAT);

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("claude-secondary", response.header(Gateway.TARGET));
    StringBuilder content = new StringBuilder();
    for (String data : frames(response.bodyText())) {
      if (!data.equals("[DONE]")) {
        JsonNode chunk = Json.parse(data);
        assertFalse(chunk.has("error"), data);
        content.append(chunk.at("/choices/0/delta/content").asText(""));
      }
    }
    assertEquals("From the second Claude.", content.toString());
    assertEquals(1, received(primary));
    assertEquals(1, received(secondary));
    assertEquals(1, gateway.metrics().sum(MetricNames.FALLBACKS));
  }

  @Test
  void aStreamBreakingAfterItsFirstChunkEndsWithAnErrorEventThenDone() {
    streams(primary, WIRE.cutStream(List.of("Half an ", "answer")));
    streams(secondary, WIRE.streamedText(List.of("must not be asked"), new WireScript.Tokens(1, 1, 0)));

    GatewayResponse response = gateway().chat(STREAMING_CHAT);

    assertEquals(200, response.status(), response.bodyText());
    List<String> frames = frames(response.bodyText());
    assertEquals("[DONE]", frames.getLast(), response.bodyText());
    JsonNode error = Json.parse(frames.get(frames.size() - 2)).path("error");
    assertEquals("upstream_stream_interrupted", error.path("code").asText(), response.bodyText());
    assertTrue(error.path("message").asText().contains("claude-primary"), error.toString());
    StringBuilder content = new StringBuilder();
    for (String data : frames.subList(0, frames.size() - 2)) {
      JsonNode chunk = Json.parse(data);
      assertEquals("chat.completion.chunk", chunk.path("object").asText(), data);
      content.append(chunk.at("/choices/0/delta/content").asText(""));
    }
    assertEquals("Half an answer", content.toString());
    assertEquals(0, received(secondary), "a stream that has started is never restarted elsewhere");
    assertFalse(response.bodyText().contains(PRIMARY_SECRET));
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
