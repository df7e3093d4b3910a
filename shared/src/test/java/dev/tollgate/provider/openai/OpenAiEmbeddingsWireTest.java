package dev.tollgate.provider.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.api.EmbeddingsResponse;
import dev.tollgate.api.Json;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.UpstreamCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@link OpenAiCompatibleProvider#embed} puts on the wire ({@code /embeddings}, Azure's
 * deployment URL, the body with only {@code model} swapped) and how it reads OpenAI's documented
 * embeddings answer, float or base64.
 */
class OpenAiEmbeddingsWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final UpstreamHttp HTTP = new UpstreamHttp();
  private static final Secret SECRET = new Secret("upstream-secret-4711");

  private static OpenAiCompatibleProvider provider(String type) {
    return new OpenAiCompatibleProvider(
        OpenAiVendor.ALL.stream().filter(v -> v.spec().type().equals(type)).findFirst().orElseThrow(), HTTP);
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json);
  }

  /** OpenAI's documented answer: {@code data[i] = {object, index, embedding}}, model, usage. */
  static ObjectNode answer(String model, int promptTokens, float[]... vectors) {
    return (ObjectNode) EmbeddingsResponse.toJson(List.of(vectors), model, promptTokens, false);
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size(), "requests the upstream received");
    return requests.getFirst();
  }

  @Test
  void theClientBodyGoesToEmbeddingsWithTheTargetModelAndABearerKey() throws UpstreamFailure {
    upstream.stubFor(
        post(anyUrl())
            .willReturn(FakeUpstream.json(200, answer("text-embedding-3-small", 8, new float[] {0.5f, -0.25f}, new float[] {1f, 0f}))));
    Target target =
        UpstreamCalls.target("openai", "text-embedding-3-small", FakeUpstream.baseUrl(upstream) + "/v1", Map.of());
    ObjectNode body =
        object(
            """
            {"model": "embed-small", "input": ["first", "second"], "dimensions": 2,
             "encoding_format": "float", "user": "u-42", "x_custom": {"kept": [1, 2]}}
            """);

    EmbeddingResponse response = provider("openai").embed(UpstreamCalls.embedCall(target, body, Optional.of(SECRET)));

    LoggedRequest sent = onlyRequest();
    assertEquals("/v1/embeddings", sent.getUrl());
    assertEquals("Bearer upstream-secret-4711", sent.getHeader("Authorization"));
    assertEquals("req-wire-1", sent.getHeader("x-request-id"));
    ObjectNode expected = body.deepCopy();
    expected.put("model", "text-embedding-3-small");
    assertEquals(expected, Json.parse(sent.getBodyAsString()));
    assertEquals(2, response.vectors().size());
    assertArrayEquals(new float[] {0.5f, -0.25f}, response.vectors().get(0));
    assertArrayEquals(new float[] {1f, 0f}, response.vectors().get(1));
    assertEquals("text-embedding-3-small", response.model());
    assertEquals(8, response.promptTokens());
  }

  @Test
  void tokenArraysAreForwardedAsTheyAre() throws UpstreamFailure {
    upstream.stubFor(post(anyUrl()).willReturn(FakeUpstream.json(200, answer("m", 3, new float[] {1f}, new float[] {2f}))));
    Target target = UpstreamCalls.target("vllm", "m", FakeUpstream.baseUrl(upstream), Map.of());

    provider("vllm").embed(UpstreamCalls.embedCall(target, object("{\"model\":\"e\",\"input\":[[15339,1917],[0]]}"), Optional.empty()));

    assertEquals(Json.parse("[[15339,1917],[0]]"), Json.parse(onlyRequest().getBodyAsString()).path("input"));
    assertTrue(provider("vllm").refuses(UpstreamCalls.embedCall(target, object("{\"model\":\"e\",\"input\":[1]}"), Optional.empty()).request()).isEmpty());
  }

  @Test
  void azureCallsTheDeploymentsEmbeddingsWithAnApiKeyHeader() throws UpstreamFailure {
    upstream.stubFor(post(anyUrl()).willReturn(FakeUpstream.json(200, answer("text-embedding-3-large", 2, new float[] {0.1f}))));
    Target target =
        UpstreamCalls.target("azure-openai", "embed-prod", FakeUpstream.baseUrl(upstream), Map.of(OpenAiVendor.AZURE_API_VERSION, "2025-01-01-preview"));

    provider("azure-openai").embed(UpstreamCalls.embedCall(target, object("{\"model\":\"e\",\"input\":\"hi\"}"), Optional.of(SECRET)));

    LoggedRequest sent = onlyRequest();
    assertEquals("/openai/deployments/embed-prod/embeddings?api-version=2025-01-01-preview", sent.getUrl());
    assertEquals("upstream-secret-4711", sent.getHeader("api-key"));
    assertFalse(sent.containsHeader("Authorization"));
  }

  @Test
  void aBase64AnswerIsDecodedAndEntriesArePlacedByIndex() throws UpstreamFailure {
    float[] first = {0.125f, -3.5f, 1e-7f};
    float[] second = {42f, 0f, -0f};
    ObjectNode answer = Json.object();
    answer.put("object", "list");
    ArrayNode data = answer.putArray("data");
    data.addObject().put("object", "embedding").put("index", 1).put("embedding", EmbeddingsResponse.toBase64(second));
    data.addObject().put("object", "embedding").put("index", 0).put("embedding", EmbeddingsResponse.toBase64(first));
    answer.put("model", "text-embedding-3-small");
    answer.putObject("usage").put("prompt_tokens", 5).put("total_tokens", 5);
    upstream.stubFor(post(anyUrl()).willReturn(FakeUpstream.json(200, answer)));
    Target target = UpstreamCalls.target("openai", "text-embedding-3-small", FakeUpstream.baseUrl(upstream), Map.of());

    EmbeddingResponse response =
        provider("openai")
            .embed(UpstreamCalls.embedCall(target, object("{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\"}"), Optional.of(SECRET)));

    assertEquals("base64", Json.parse(onlyRequest().getBodyAsString()).path("encoding_format").asText());
    assertArrayEquals(first, response.vectors().get(0));
    assertArrayEquals(second, response.vectors().get(1));
  }

  @Test
  void anUpstream400IsARejectionCarryingItsMessage() {
    upstream.stubFor(
        post(anyUrl())
            .willReturn(FakeUpstream.openAiError(400, "This model does not support specifying dimensions.", "invalid_request_error", null)));
    Target target = UpstreamCalls.target("openai", "text-embedding-ada-002", FakeUpstream.baseUrl(upstream), Map.of());

    UpstreamFailure failure =
        assertThrows(
            UpstreamFailure.class,
            () -> provider("openai").embed(UpstreamCalls.embedCall(target, object("{\"model\":\"e\",\"input\":\"hi\",\"dimensions\":64}"), Optional.of(SECRET))));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    assertTrue(failure.clientError().orElseThrow().message().contains("does not support specifying dimensions"));
  }

  @Test
  void anAnswerThatIsNotAnEmbeddingsListIsMalformed() {
    upstream.stubFor(post(anyUrl()).willReturn(FakeUpstream.answers("a chat completion, not embeddings")));
    Target target = UpstreamCalls.target("openai", "m", FakeUpstream.baseUrl(upstream), Map.of());

    UpstreamFailure failure =
        assertThrows(
            UpstreamFailure.class,
            () -> provider("openai").embed(UpstreamCalls.embedCall(target, object("{\"model\":\"e\",\"input\":\"hi\"}"), Optional.of(SECRET))));

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
  }

  @Test
  void aDuplicatedIndexIsMalformed() {
    ObjectNode answer = answer("m", 1, new float[] {1f}, new float[] {2f});
    ((ObjectNode) answer.path("data").get(1)).put("index", 0);
    upstream.stubFor(post(anyUrl()).willReturn(FakeUpstream.json(200, answer)));
    Target target = UpstreamCalls.target("openai", "m", FakeUpstream.baseUrl(upstream), Map.of());

    UpstreamFailure failure =
        assertThrows(
            UpstreamFailure.class,
            () -> provider("openai").embed(UpstreamCalls.embedCall(target, object("{\"model\":\"e\",\"input\":[\"a\",\"b\"]}"), Optional.of(SECRET))));

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
  }
}
