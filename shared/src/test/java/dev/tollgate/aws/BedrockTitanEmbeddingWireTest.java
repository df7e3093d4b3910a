package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.UpstreamCalls;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

/**
 * What {@link BedrockTitanEmbeddingProvider} puts on the wire through the real SDK client
 * ({@code InvokeModel} on the Titan model, SigV4, Titan's body, one call per input) and how it
 * reads Titan's answer and errors.
 */
class BedrockTitanEmbeddingWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final BedrockTitanEmbeddingProvider TITAN = new BedrockTitanEmbeddingProvider(Region.US_EAST_1);
  private static final String MODEL = "amazon.titan-embed-text-v2:0";

  private static EmbeddingCall call(String body) {
    Target target = UpstreamCalls.target("bedrock-titan-embed", MODEL, FakeUpstream.baseUrl(upstream), Map.of("region", "eu-central-1"));
    return UpstreamCalls.embedCall(target, (ObjectNode) Json.parse(body), Optional.empty());
  }

  /** Titan's documented answer. */
  private static ResponseDefinitionBuilder titan(String embedding, int tokens) {
    return aResponse()
        .withStatus(200)
        .withHeader("content-type", "application/json")
        .withHeader("x-amzn-RequestId", BedrockAnswers.REQUEST_ID)
        .withHeader("X-Amzn-Bedrock-Input-Token-Count", Integer.toString(tokens))
        .withBody(
            "{\"embedding\": " + embedding + ", \"inputTextTokenCount\": " + tokens
                + ", \"embeddingsByType\": {\"float\": " + embedding + "}}");
  }

  @Test
  void eachInputIsOneSignedInvokeModelCallWithTitansBody() throws UpstreamFailure {
    upstream.stubFor(post(anyUrl()).withRequestBody(equalToJson("{\"inputText\": \"first text\", \"dimensions\": 256, \"normalize\": true}")).willReturn(titan("[0.5, -0.5]", 3)));
    upstream.stubFor(post(anyUrl()).withRequestBody(equalToJson("{\"inputText\": \"second\", \"dimensions\": 256, \"normalize\": true}")).willReturn(titan("[0.25, 0.75]", 2)));

    EmbeddingResponse response = TITAN.embed(call("{\"model\": \"embed\", \"input\": [\"first text\", \"second\"], \"dimensions\": 256}"));

    List<LoggedRequest> sent = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(2, sent.size());
    for (LoggedRequest request : sent) {
      assertEquals("/model/" + MODEL + "/invoke", URLDecoder.decode(request.getUrl(), StandardCharsets.UTF_8));
      assertTrue(
          request.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=test/")
              && request.getHeader("Authorization").contains("/eu-central-1/bedrock/aws4_request"),
          request.getHeader("Authorization"));
      assertEquals("application/json", request.getHeader("Content-Type"));
    }
    assertSameJson(
        Json.parse("{\"inputText\": \"first text\", \"dimensions\": 256, \"normalize\": true}"),
        Json.parse(sent.get(0).getBodyAsString()));
    assertArrayEquals(new float[] {0.5f, -0.5f}, response.vectors().get(0));
    assertArrayEquals(new float[] {0.25f, 0.75f}, response.vectors().get(1));
    assertEquals(5, response.promptTokens(), "the inputs' inputTextTokenCount summed");
    assertEquals(MODEL, response.model());
  }

  @Test
  void withoutDimensionsTitanPicksItsDefault() throws UpstreamFailure {
    upstream.stubFor(post(anyUrl()).willReturn(titan("[1.0]", 1)));

    TITAN.embed(call("{\"model\": \"embed\", \"input\": \"hi\"}"));

    assertSameJson(
        Json.parse("{\"inputText\": \"hi\", \"normalize\": true}"),
        Json.parse(upstream.findAll(anyRequestedFor(anyUrl())).getFirst().getBodyAsString()));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 255, 768, 1536})
  void dimensionsTitanDoesNotOfferAreRefusedNamingThem(int dimensions) {
    ApiError refusal =
        TITAN.refuses(call("{\"model\": \"embed\", \"input\": \"hi\", \"dimensions\": " + dimensions + "}").request()).orElseThrow();
    assertEquals("dimensions", refusal.param());
    assertTrue(refusal.message().contains("256, 512 or 1024"), refusal.message());
  }

  @ParameterizedTest
  @ValueSource(ints = {256, 512, 1024})
  void titansDimensionsAreAccepted(int dimensions) {
    assertTrue(TITAN.refuses(call("{\"model\": \"embed\", \"input\": \"hi\", \"dimensions\": " + dimensions + "}").request()).isEmpty());
  }

  @Test
  void tokenArraysAreRefusedNamingInput() {
    assertEquals("input", TITAN.refuses(call("{\"model\": \"embed\", \"input\": [1, 2, 3]}").request()).orElseThrow().param());
  }

  @Test
  void itDoesNotServeChat() {
    assertFalse(TITAN.servesChat());
  }

  @Test
  void throttlingIsRateLimitedAndStopsTheRemainingInputs() {
    upstream.stubFor(post(anyUrl()).willReturn(BedrockAnswers.error(429, "ThrottlingException", "Too many requests")));

    UpstreamFailure failure =
        assertThrows(UpstreamFailure.class, () -> TITAN.embed(call("{\"model\": \"embed\", \"input\": [\"a\", \"b\"]}")));

    assertEquals(FailureKind.RATE_LIMITED, failure.kind());
    assertEquals(1, upstream.findAll(anyRequestedFor(anyUrl())).size(), "one attempt, no SDK retry, no second input");
  }

  @Test
  void aValidationErrorIsARejectionWithBedrocksMessage() {
    upstream.stubFor(post(anyUrl()).willReturn(BedrockAnswers.error(400, "ValidationException", "Malformed input request")));

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> TITAN.embed(call("{\"model\": \"embed\", \"input\": \"a\"}")));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    assertTrue(failure.clientError().orElseThrow().message().contains("Malformed input request"));
  }

  @Test
  void anAnswerWithoutEmbeddingIsMalformed() {
    upstream.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody("{\"inputTextTokenCount\": 1}")));

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> TITAN.embed(call("{\"model\": \"embed\", \"input\": \"a\"}")));

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
  }
}
