package dev.tollgate.provider.gemini;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How {@link GeminiProvider} classifies Gemini's error answers and malformed successes: the kind
 * decides whether another target is tried, and a rejection's message reaches the client redacted.
 */
class GeminiErrorWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  /** Not key-shaped, so only the exact-value redaction can hide it. */
  private static final Secret SECRET = new Secret("Zq7vLm2Pw9Rx4Tn8");

  private static final GeminiProvider GEMINI =
      new GeminiProvider(new UpstreamHttp(), MutableClock.startingAt("2026-01-02T03:04:05Z"));

  private static UpstreamFailure failureOf(ResponseDefinitionBuilder response) {
    upstream.stubFor(post(anyUrl()).willReturn(response));
    Target target = UpstreamCalls.target("gemini", "gemini-2.5-pro", FakeUpstream.baseUrl(upstream) + "/v1beta", Map.of());
    UpstreamFailure failure =
        assertThrows(
            UpstreamFailure.class,
            () -> GEMINI.complete(UpstreamCalls.call(target, GatewayHarness.chatJson("chat"), Optional.of(SECRET))));
    assertFalse(failure.detail().contains(SECRET.value()), failure.detail());
    return failure;
  }

  @Test
  void resourceExhaustedIsRateLimitedAndHonoursRetryAfter() {
    UpstreamFailure failure =
        failureOf(
            GeminiAnswers.error(429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED")
                .withHeader("Retry-After", "12"));

    assertEquals(FailureKind.RATE_LIMITED, failure.kind());
    assertEquals(429, failure.status());
    assertEquals(12, failure.retryAfterSeconds());
  }

  @Test
  void aRateLimitWithoutRetryAfterTakesTheWaitFromItsRetryInfo() {
    UpstreamFailure failure =
        failureOf(
            FakeUpstream.json(
                429,
                (ObjectNode)
                    Json.parse(
                        """
                        {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
                          "message": "You exceeded your current quota, please check your plan and billing details.",
                          "details": [
                            {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": []},
                            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "36.4s"}]}}
                        """)));

    assertEquals(FailureKind.RATE_LIMITED, failure.kind());
    assertEquals(37, failure.retryAfterSeconds());
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "500, INTERNAL, SERVER_ERROR",
    "503, UNAVAILABLE, SERVER_ERROR",
    "504, DEADLINE_EXCEEDED, SERVER_ERROR",
    "401, UNAUTHENTICATED, AUTH_REJECTED",
    "403, PERMISSION_DENIED, AUTH_REJECTED",
    "404, NOT_FOUND, UPSTREAM_NOT_FOUND"
  })
  void statusesGetTheirFailureKindAndLetAnotherTargetTry(int status, String grpcStatus, FailureKind kind) {
    UpstreamFailure failure = failureOf(GeminiAnswers.error(status, "The service is unhappy.", grpcStatus));

    assertEquals(kind, failure.kind(), failure.detail());
    assertEquals(status, failure.status());
    assertTrue(failure.kind().triesNextTarget());
    assertTrue(failure.clientError().isEmpty());
  }

  @Test
  void anInvalidApiKeyIsACredentialFaultThoughGeminiAnswers400() {
    UpstreamFailure failure =
        failureOf(
            FakeUpstream.json(
                400,
                (ObjectNode)
                    Json.parse(
                        """
                        {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                          "message": "API key not valid. Please pass a valid API key.",
                          "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                                       "domain": "googleapis.com",
                                       "metadata": {"service": "generativelanguage.googleapis.com"}}]}}
                        """)));

    assertEquals(FailureKind.AUTH_REJECTED, failure.kind());
    assertTrue(failure.kind().triesNextTarget());
  }

  @Test
  void anInvalidArgumentIsRejectedWithGeminisMessageRedacted() {
    UpstreamFailure failure =
        failureOf(
            GeminiAnswers.error(
                400,
                "* GenerateContentRequest.contents: contents is not specified (key " + SECRET.value() + ")",
                "INVALID_ARGUMENT"));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    assertFalse(failure.kind().triesNextTarget());
    ApiError error = failure.clientError().orElseThrow();
    assertEquals(400, error.status());
    assertEquals(
        "Upstream 't-gemini' rejected the request: * GenerateContentRequest.contents: contents is not specified"
            + " (key [REDACTED])",
        error.message());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "<html>Bad gateway</html>",
        "[{\"candidates\": []}]",
        "{\"usageMetadata\": {\"promptTokenCount\": 3}}"
      })
  void aSuccessThatIsNoGeminiAnswerIsABadResponse(String body) {
    UpstreamFailure failure =
        failureOf(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(body));

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind(), failure.detail());
    assertTrue(failure.kind().triesNextTarget());
  }
}
