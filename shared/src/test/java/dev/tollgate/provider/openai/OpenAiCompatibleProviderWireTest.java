package dev.tollgate.provider.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.api.Json;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.UpstreamCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link OpenAiCompatibleProvider} puts on the wire for each vendor (URL, auth header,
 * body) and what it makes of the upstream's documented answer.
 */
class OpenAiCompatibleProviderWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final UpstreamHttp HTTP = new UpstreamHttp();
  private static final Secret SECRET = new Secret("upstream-secret-4711");

  /** A body as a client sends it: alias as model, streaming asked for, fields the gateway does not know. */
  private static ObjectNode clientBody() {
    return (ObjectNode)
        Json.parse(
            """
            {"model": "chat", "stream": true, "stream_options": {"include_usage": true},
             "messages": [
               {"role": "system", "content": "Be brief."},
               {"role": "user", "content": [
                 {"type": "text", "text": "What is in this image?"},
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}}]}],
             "temperature": 0.2, "max_completion_tokens": 64, "seed": 42,
             "metadata": {"trace": "abc-123", "team": "search"},
             "x_custom": {"nested": [1, 2.5, {"deep": true}], "flag": null}}
            """);
  }

  /** The client body as the upstream must receive it: only model swapped and streaming dropped. */
  private static ObjectNode expectedUpstreamBody(String upstreamModel) {
    ObjectNode expected = clientBody();
    expected.put("model", upstreamModel);
    expected.remove("stream");
    expected.remove("stream_options");
    return expected;
  }

  private static OpenAiCompatibleProvider provider(String type) {
    OpenAiVendor vendor =
        OpenAiVendor.ALL.stream().filter(v -> v.spec().type().equals(type)).findFirst().orElseThrow();
    return new OpenAiCompatibleProvider(vendor, HTTP);
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size(), "requests the upstream received");
    return requests.getFirst();
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "deepseek", "mistral", "volcengine-ark", "openai-compatible", "vllm", "ollama"})
  void bearerVendorsPostTheClientBodyWithTheTargetModelAndABearerKey(String type) throws UpstreamFailure {
    upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(FakeUpstream.answers("A cat.")));
    Target target = UpstreamCalls.target(type, "upstream-model-x", FakeUpstream.baseUrl(upstream) + "/v1", Map.of());

    UpstreamResponse response = provider(type).complete(UpstreamCalls.call(target, clientBody(), Optional.of(SECRET)));

    LoggedRequest sent = onlyRequest();
    assertEquals("POST", sent.getMethod().getName());
    assertEquals("/v1/chat/completions", sent.getUrl());
    assertEquals("Bearer upstream-secret-4711", sent.getHeader("Authorization"));
    assertFalse(sent.containsHeader("api-key"));
    assertEquals("application/json", sent.getHeader("Content-Type"));
    assertEquals("req-wire-1", sent.getHeader("x-request-id"));
    assertEquals(expectedUpstreamBody("upstream-model-x"), Json.parse(sent.getBodyAsString()));

    assertEquals(FakeUpstream.completion("upstream-model", "A cat.", 9, 12), response.completion());
    assertEquals(new Usage(9, 12, 21), response.usage());
  }

  @Test
  void aServerThatIgnoresStreamingAnswersWholeAndTheAnswerIsReplayedAsAStream() throws UpstreamFailure {
    upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(FakeUpstream.answers("Whole answer here.")));
    Target target = UpstreamCalls.target("vllm", "served-model", FakeUpstream.baseUrl(upstream) + "/v1", Map.of());

    StringBuilder text = new StringBuilder();
    String finish = null;
    try (var stream = provider("vllm").stream(UpstreamCalls.call(target, clientBody(), Optional.of(SECRET)))) {
      for (var chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
        var choice = chunk.get().path("choices").path(0);
        text.append(choice.path("delta").path("content").asText(""));
        if (choice.path("finish_reason").isTextual()) {
          finish = choice.path("finish_reason").asText();
        }
      }
      assertEquals(new Usage(9, 12, 21), stream.usage());
    }
    assertEquals("Whole answer here.", text.toString());
    assertEquals("stop", finish);
    assertEquals(true, Json.parse(onlyRequest().getBodyAsString()).path("stream").asBoolean(), "streaming was asked for");
  }

  @Test
  void aStreamThatEndsAfterItsFinishReasonWithoutDoneIsComplete() throws UpstreamFailure {
    String frames =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"done\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n";
    upstream.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withHeader("content-type", "text/event-stream")
                    .withBody(frames)));
    Target target = UpstreamCalls.target("ollama", "llama3", FakeUpstream.baseUrl(upstream) + "/v1", Map.of());

    try (var stream = provider("ollama").stream(UpstreamCalls.call(target, clientBody(), Optional.empty()))) {
      assertEquals("done", stream.next().orElseThrow().at("/choices/0/delta/content").asText());
      assertTrue(stream.next().isEmpty(), "the end of the body after the finish reason ends the stream cleanly");
      assertEquals(new Usage(3, 1, 4), stream.usage());
    }
  }

  @Test
  void aStreamCutBeforeAnyFinishReasonIsABrokenStream() {
    String frames =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"half\"},\"finish_reason\":null}]}\n\n";
    upstream.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withHeader("content-type", "text/event-stream")
                    .withBody(frames)));
    Target target = UpstreamCalls.target("ollama", "llama3", FakeUpstream.baseUrl(upstream) + "/v1", Map.of());

    UpstreamFailure failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            UpstreamFailure.class,
            () -> {
              try (var stream = provider("ollama").stream(UpstreamCalls.call(target, clientBody(), Optional.empty()))) {
                while (stream.next().isPresent()) {
                  // read until it breaks
                }
              }
            });
    assertEquals(dev.tollgate.provider.FailureKind.NETWORK_ERROR, failure.kind());
  }

  @Test
  void azureCallsTheDeploymentWithTheDefaultApiVersionAndAnApiKeyHeader() throws UpstreamFailure {
    upstream.stubFor(
        post(urlPathEqualTo("/openai/deployments/gpt-4o-prod/chat/completions"))
            .willReturn(FakeUpstream.answers("Hello from Azure.")));
    Target target = UpstreamCalls.target("azure-openai", "gpt-4o-prod", FakeUpstream.baseUrl(upstream), Map.of());

    UpstreamResponse response =
        provider("azure-openai").complete(UpstreamCalls.call(target, clientBody(), Optional.of(SECRET)));

    LoggedRequest sent = onlyRequest();
    assertEquals("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21", sent.getUrl());
    assertEquals("upstream-secret-4711", sent.getHeader("api-key"));
    assertFalse(sent.containsHeader("Authorization"));
    assertEquals(expectedUpstreamBody("gpt-4o-prod"), Json.parse(sent.getBodyAsString()));
    assertEquals("Hello from Azure.", response.completion().at("/choices/0/message/content").asText());
    assertEquals(new Usage(9, 12, 21), response.usage());
  }

  @Test
  void azureSendsTheApiVersionTheTargetNames() throws UpstreamFailure {
    upstream.stubFor(
        post(urlPathEqualTo("/azure/openai/deployments/mini/chat/completions"))
            .withQueryParam("api-version", equalTo("2025-01-01-preview"))
            .willReturn(FakeUpstream.answers("ok")));
    Target target =
        UpstreamCalls.target(
            "azure-openai",
            "mini",
            FakeUpstream.baseUrl(upstream) + "/azure",
            Map.of(OpenAiVendor.AZURE_API_VERSION, "2025-01-01-preview"));

    provider("azure-openai").complete(UpstreamCalls.call(target, clientBody(), Optional.of(SECRET)));

    assertEquals(
        "/azure/openai/deployments/mini/chat/completions?api-version=2025-01-01-preview", onlyRequest().getUrl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai-compatible", "azure-openai"})
  void aTargetWithoutCredentialSendsNoAuthHeaderAtAll(String type) throws UpstreamFailure {
    upstream.stubFor(
        post(anyUrl())
            .withHeader("Authorization", absent())
            .withHeader("api-key", absent())
            .willReturn(FakeUpstream.answers("no key needed")));
    Target target = UpstreamCalls.target(type, "local-model", FakeUpstream.baseUrl(upstream), Map.of());

    UpstreamResponse response = provider(type).complete(UpstreamCalls.call(target, clientBody(), Optional.empty()));

    LoggedRequest sent = onlyRequest();
    assertNull(sent.getHeader("Authorization"));
    assertNull(sent.getHeader("api-key"));
    assertEquals("no key needed", response.completion().at("/choices/0/message/content").asText());
  }

  @Test
  void anAnswerWithoutUsageCountsNoTokens() throws UpstreamFailure {
    ObjectNode completion = FakeUpstream.completion("m", "short", 1, 1);
    completion.remove("usage");
    upstream.stubFor(post(anyUrl()).willReturn(FakeUpstream.json(200, completion)));
    Target target = UpstreamCalls.target("openai", "m", FakeUpstream.baseUrl(upstream), Map.of());

    UpstreamResponse response = provider("openai").complete(UpstreamCalls.call(target, clientBody(), Optional.of(SECRET)));

    assertEquals(completion, response.completion());
    assertEquals(Usage.NONE, response.usage());
  }
}
