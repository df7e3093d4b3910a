package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.ApiError;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/**
 * How {@link BedrockConverseProvider} classifies what Bedrock answers with an error: the kind
 * decides failover, the SDK makes one attempt only, and only a validation error's message
 * reaches the client, redacted.
 */
class BedrockErrorWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final BedrockConverseProvider BEDROCK =
      new BedrockConverseProvider(Region.US_EAST_1, MutableClock.startingAt("2026-01-02T03:04:05Z"));

  private static UpstreamFailure failureAt(String baseUrl, int timeoutMs) {
    Target target = UpstreamCalls.target("bedrock", "amazon.nova-pro-v1:0", baseUrl, Map.of(), timeoutMs);
    return assertThrows(
        UpstreamFailure.class,
        () -> BEDROCK.complete(UpstreamCalls.call(target, GatewayHarness.chatJson("chat"), Optional.empty())));
  }

  private static UpstreamFailure failureOf(ResponseDefinitionBuilder response) {
    upstream.stubFor(post(anyUrl()).willReturn(response));
    return failureAt(FakeUpstream.baseUrl(upstream), 10_000);
  }

  @ParameterizedTest
  @CsvSource({
    "429, ThrottlingException, RATE_LIMITED",
    "400, ServiceQuotaExceededException, RATE_LIMITED",
    "429, SomeFutureLimitException, RATE_LIMITED",
    "424, ModelNotReadyException, SERVER_ERROR",
    "503, ServiceUnavailableException, SERVER_ERROR",
    "500, InternalServerException, SERVER_ERROR",
    "502, SomeGatewayException, SERVER_ERROR",
    "408, ModelTimeoutException, TIMED_OUT",
    "403, AccessDeniedException, AUTH_REJECTED",
    "404, ResourceNotFoundException, UPSTREAM_NOT_FOUND"
  })
  void errorTypesMapToFailureKinds(int status, String type, FailureKind kind) {
    UpstreamFailure failure = failureOf(BedrockAnswers.error(status, type, "details for " + type));

    assertEquals(kind, failure.kind());
    assertEquals(status, failure.status());
    assertTrue(kind.triesNextTarget());
    assertFalse(failure.detail().contains("details for"), "only a rejection carries Bedrock's message: " + failure.detail());
    assertEquals(1, upstream.findAll(anyRequestedFor(anyUrl())).size(), "the SDK does not retry; failover does");
  }

  @Test
  void aValidationErrorIsARejectionWithTheRedactedMessage() {
    UpstreamFailure failure =
        failureOf(
            BedrockAnswers.error(
                400, "ValidationException", "The model returned: api_key-abcdef123456 is not a valid temperature"));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    ApiError error = failure.clientError().orElseThrow();
    assertEquals(400, error.status());
    assertEquals(ApiError.INVALID_REQUEST, error.type());
    assertTrue(error.message().startsWith("Upstream 't-bedrock' rejected the request: The model returned: "), error.message());
    assertTrue(error.message().contains("[REDACTED]"), error.message());
    assertFalse(error.message().contains("abcdef123456"), error.message());
  }

  @Test
  void aClosedPortIsANetworkError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    UpstreamFailure failure = failureAt("http://127.0.0.1:" + port, 10_000);

    assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
  }

  @Test
  void anAnswerSlowerThanTheTargetTimeoutTimesOut() {
    upstream.stubFor(post(anyUrl()).willReturn(BedrockAnswers.text("late").withFixedDelay(2_000)));

    UpstreamFailure failure = failureAt(FakeUpstream.baseUrl(upstream), 300);

    assertEquals(FailureKind.TIMED_OUT, failure.kind());
  }
}
