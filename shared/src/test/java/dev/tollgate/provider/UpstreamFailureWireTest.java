package dev.tollgate.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import dev.tollgate.provider.openai.OpenAiCompatibleProvider;
import dev.tollgate.provider.openai.OpenAiVendor;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.UpstreamCalls;
import dev.tollgate.testing.UpstreamMisbehaviour;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How {@link UpstreamHttp} and {@link HttpFailures} classify a real upstream misbehaving on the
 * wire: the failure kind decides whether another target is tried, so each must be right.
 */
class UpstreamFailureWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  /** Not key-shaped, so only the exact-value redaction can hide it. */
  private static final Secret SECRET = new Secret("Zq7vLm2Pw9Rx4Tn8");

  private static final OpenAiCompatibleProvider OPENAI =
      new OpenAiCompatibleProvider(OpenAiVendor.ALL.getFirst(), new UpstreamHttp());

  private static UpstreamFailure failureOf(ResponseDefinitionBuilder response, int timeoutMs) {
    upstream.stubFor(post(anyUrl()).willReturn(response));
    return failureAt(FakeUpstream.baseUrl(upstream), timeoutMs);
  }

  private static UpstreamFailure failureAt(String baseUrl, int timeoutMs) {
    Target target = UpstreamCalls.target("openai", "gpt-4o-mini", baseUrl + "/v1", Map.of(), timeoutMs);
    return assertThrows(
        UpstreamFailure.class,
        () -> OPENAI.complete(UpstreamCalls.call(target, GatewayHarness.chatJson("chat"), Optional.of(SECRET))));
  }

  @ParameterizedTest
  @EnumSource(UpstreamMisbehaviour.class)
  void eachMisbehaviourGetsItsFailureKindAndLetsAnotherTargetTry(UpstreamMisbehaviour misbehaviour) {
    UpstreamFailure failure = failureOf(misbehaviour.response(), misbehaviour.targetTimeoutMs());

    assertEquals(misbehaviour.kind(), failure.kind(), failure.detail());
    assertTrue(failure.kind().triesNextTarget());
    assertTrue(failure.clientError().isEmpty());
    assertFalse(failure.detail().contains(SECRET.value()));
  }

  @ParameterizedTest
  @CsvSource({"500", "502", "503", "504", "408"})
  void serverErrorsKeepTheirStatus(int status) {
    UpstreamFailure failure = failureOf(aResponse().withStatus(status), UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    assertEquals(FailureKind.SERVER_ERROR, failure.kind());
    assertEquals(status, failure.status());
  }

  @ParameterizedTest(name = "{0}: {1} -> {2} s")
  @CsvSource({
    "Retry-After, 7, 7",
    "Retry-After, 1.5, 2",
    "Retry-After, 0, 0",
    "Retry-After, -3, 0",
    "Retry-After, soon, 0",
    "retry-after-ms, 1500, 2",
    "retry-after-ms, 250, 1",
    "retry-after-ms, 2000, 2",
    "Retry-After-Ms, 3000, 3"
  })
  void rateLimitsCarryTheWaitTheUpstreamAskedFor(String header, String value, long seconds) {
    UpstreamFailure failure =
        failureOf(aResponse().withStatus(429).withHeader(header, value), UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    assertEquals(FailureKind.RATE_LIMITED, failure.kind());
    assertEquals(429, failure.status());
    assertEquals(seconds, failure.retryAfterSeconds());
  }

  @Test
  void retryAfterMillisecondsWinOverSecondsWhenBothAreSent() {
    UpstreamFailure failure =
        failureOf(
            aResponse().withStatus(429).withHeader("retry-after-ms", "4200").withHeader("Retry-After", "60"),
            UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    assertEquals(5, failure.retryAfterSeconds());
  }

  @Test
  void retryAfterAsAnHttpDateCountsTheSecondsUntilThen() {
    String inTwoMinutes =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));

    UpstreamFailure failure =
        failureOf(aResponse().withStatus(429).withHeader("Retry-After", inTwoMinutes), UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    // The date has whole-second precision and some time passes before it is read.
    assertTrue(failure.retryAfterSeconds() >= 100 && failure.retryAfterSeconds() <= 120, "" + failure.retryAfterSeconds());
  }

  @Test
  void aBadRequestGoesBackToTheClientWithTheUpstreamMessageAndNoSecret() {
    UpstreamFailure failure =
        failureOf(
            FakeUpstream.openAiError(
                400,
                "Invalid value for 'temperature' (sent with key " + SECRET.value() + "): must be at most 2.",
                "invalid_request_error",
                "invalid_value"),
            UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    assertFalse(failure.kind().triesNextTarget());
    ApiError error = failure.clientError().orElseThrow();
    assertEquals(400, error.status());
    assertEquals(ApiError.INVALID_REQUEST, error.type());
    assertEquals(
        "Upstream 't-openai' rejected the request: Invalid value for 'temperature' (sent with key [REDACTED]): must be at most 2.",
        error.message());
  }

  @Test
  void aRejectionWithoutAnOpenAiErrorBodyIsStillReturnedAsIs() {
    UpstreamFailure failure =
        failureOf(aResponse().withStatus(422).withBody("<html>Unprocessable</html>"), UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    ApiError error = failure.clientError().orElseThrow();
    assertEquals(422, error.status());
    assertEquals("Upstream 't-openai' rejected the request: no error message", error.message());
  }

  @Test
  void aRedirectIsNotFollowedAndCountsAsABadResponse() {
    UpstreamFailure failure =
        failureOf(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:1/elsewhere"), UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
    assertEquals(302, failure.status());
    assertEquals(1, upstream.findAll(anyRequestedFor(anyUrl())).size());
  }

  @Test
  void aPortWithNothingListeningIsANetworkError() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    UpstreamFailure failure = failureAt("http://127.0.0.1:" + closedPort, UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS);

    assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
    assertEquals(0, failure.status());
  }
}
