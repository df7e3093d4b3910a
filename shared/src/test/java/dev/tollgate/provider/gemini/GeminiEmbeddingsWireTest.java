package dev.tollgate.provider.gemini;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@link GeminiProvider#embed} puts on the wire ({@code :embedContent} for one text,
 * {@code :batchEmbedContents} for several, {@code outputDimensionality}, the key in a header) and
 * how it reads Gemini's documented answers.
 */
class GeminiEmbeddingsWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final Secret SECRET = new Secret("AIzaSyD-gemini-test-key-0042");
  private static final GeminiProvider GEMINI =
      new GeminiProvider(new UpstreamHttp(), MutableClock.startingAt("2026-01-02T03:04:05Z"));
  private static final String MODEL = "gemini-embedding-001";

  private static Target target() {
    return UpstreamCalls.target("gemini", MODEL, FakeUpstream.baseUrl(upstream) + "/v1beta", Map.of());
  }

  private static EmbeddingCall call(String body) {
    return UpstreamCalls.embedCall(target(), (ObjectNode) Json.parse(body), Optional.of(SECRET));
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size(), "requests the upstream received");
    return requests.getFirst();
  }

  @Test
  void oneTextGoesToEmbedContentWithItsDimensions() throws UpstreamFailure {
    upstream.stubFor(
        post(urlPathEqualTo("/v1beta/models/" + MODEL + ":embedContent"))
            .willReturn(FakeUpstream.json(200, (ObjectNode) Json.parse("{\"embedding\": {\"values\": [0.25, -0.5, 0.125]}}"))));

    EmbeddingResponse response =
        GEMINI.embed(call("{\"model\": \"embed\", \"input\": \"What is the meaning of life?\", \"dimensions\": 3}"));

    LoggedRequest sent = onlyRequest();
    assertEquals(SECRET.value(), sent.getHeader("x-goog-api-key"));
    assertFalse(sent.getUrl().contains(SECRET.value()), sent.getUrl());
    assertSameJson(
        Json.parse(
            """
            {"model": "models/gemini-embedding-001",
             "content": {"parts": [{"text": "What is the meaning of life?"}]},
             "outputDimensionality": 3}
            """),
        Json.parse(sent.getBodyAsString()));
    assertEquals(1, response.vectors().size());
    assertArrayEquals(new float[] {0.25f, -0.5f, 0.125f}, response.vectors().getFirst());
    assertEquals(MODEL, response.model());
    // Gemini reports no tokens: 28 characters estimated at four a token
    assertEquals(7, response.promptTokens());
  }

  @Test
  void severalTextsGoToBatchEmbedContentsInOrder() throws UpstreamFailure {
    upstream.stubFor(
        post(urlPathEqualTo("/v1beta/models/" + MODEL + ":batchEmbedContents"))
            .willReturn(
                FakeUpstream.json(
                    200, (ObjectNode) Json.parse("{\"embeddings\": [{\"values\": [1, 0]}, {\"values\": [0, 1]}]}"))));

    EmbeddingResponse response = GEMINI.embed(call("{\"model\": \"embed\", \"input\": [\"cats\", \"dogs and more\"]}"));

    assertSameJson(
        Json.parse(
            """
            {"requests": [
              {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "cats"}]}},
              {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "dogs and more"}]}}]}
            """),
        Json.parse(onlyRequest().getBodyAsString()));
    assertArrayEquals(new float[] {1f, 0f}, response.vectors().get(0));
    assertArrayEquals(new float[] {0f, 1f}, response.vectors().get(1));
    assertEquals(1 + 4, response.promptTokens());
  }

  @Test
  void moreThanAHundredTextsGoInSeveralBatchesInOrder() throws UpstreamFailure {
    upstream.stubFor(
        post(urlPathEqualTo("/v1beta/models/" + MODEL + ":batchEmbedContents"))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.requests[99]"))
            .willReturn(FakeUpstream.json(200, batchAnswer(100, 1f))));
    upstream.stubFor(
        post(urlPathEqualTo("/v1beta/models/" + MODEL + ":batchEmbedContents"))
            .atPriority(2)
            .willReturn(FakeUpstream.json(200, batchAnswer(50, 2f))));
    ObjectNode body = Json.object().put("model", "embed");
    var input = body.putArray("input");
    for (int i = 0; i < 150; i++) {
      input.add("text " + i);
    }

    EmbeddingResponse response = GEMINI.embed(UpstreamCalls.embedCall(target(), body, Optional.of(SECRET)));

    List<LoggedRequest> sent = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(2, sent.size());
    assertEquals(100, Json.parse(sent.get(0).getBodyAsString()).path("requests").size());
    assertEquals("text 100", Json.parse(sent.get(1).getBodyAsString()).at("/requests/0/content/parts/0/text").asText());
    assertEquals(150, response.vectors().size());
    assertEquals(1f, response.vectors().get(99)[0]);
    assertEquals(2f, response.vectors().get(100)[0]);
  }

  private static ObjectNode batchAnswer(int count, float value) {
    ObjectNode answer = Json.object();
    var embeddings = answer.putArray("embeddings");
    for (int i = 0; i < count; i++) {
      embeddings.addObject().putArray("values").add(value);
    }
    return answer;
  }

  @Test
  void tokenArraysAreRefusedNamingInput() {
    ApiError refusal = GEMINI.refuses(call("{\"model\": \"embed\", \"input\": [[1, 2]]}").request()).orElseThrow();
    assertEquals("input", refusal.param());
    assertEquals(400, refusal.status());
    assertTrue(GEMINI.refuses(call("{\"model\": \"embed\", \"input\": \"text\", \"dimensions\": 768}").request()).isEmpty());
  }

  @Test
  void anErrorIsClassifiedLikeGenerateContent() {
    upstream.stubFor(post(anyUrl()).willReturn(GeminiAnswers.error(503, "The model is overloaded.", "UNAVAILABLE")));

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> GEMINI.embed(call("{\"model\": \"e\", \"input\": \"x\"}")));

    assertEquals(FailureKind.SERVER_ERROR, failure.kind());
  }

  @Test
  void anAnswerWithoutValuesIsMalformed() {
    upstream.stubFor(post(anyUrl()).willReturn(FakeUpstream.json(200, (ObjectNode) Json.parse("{\"embedding\": {}}"))));

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> GEMINI.embed(call("{\"model\": \"e\", \"input\": \"x\"}")));

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
  }
}
