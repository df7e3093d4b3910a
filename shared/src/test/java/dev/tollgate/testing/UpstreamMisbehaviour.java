package dev.tollgate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.tollgate.provider.FailureKind;
import java.util.function.Supplier;

/**
 * Ways an upstream goes wrong, each with the failure kind it must be classified as and the status
 * a client gets when every target of a route behaves this way. A target facing one of them should
 * use {@link #targetTimeoutMs()}: short for the slow cases, so they end fast, and generous for the
 * others, so a slow first request on a busy machine is never mistaken for the failure under test.
 */
public enum UpstreamMisbehaviour {
  HTTP_500(FailureKind.SERVER_ERROR, 502, () -> FakeUpstream.openAiError(500, "The server had an error", "server_error", null)),
  HTTP_503(FailureKind.SERVER_ERROR, 502, () -> aResponse().withStatus(503).withBody("upstream overloaded")),
  HTTP_408(FailureKind.SERVER_ERROR, 502, () -> aResponse().withStatus(408)),
  RATE_LIMITED_RETRY_AFTER_SECONDS(
      FailureKind.RATE_LIMITED,
      503,
      () -> FakeUpstream.openAiError(429, "Rate limit reached", "requests", "rate_limit_exceeded").withHeader("Retry-After", "7")),
  RATE_LIMITED_RETRY_AFTER_MS(
      FailureKind.RATE_LIMITED,
      503,
      () -> FakeUpstream.openAiError(429, "Rate limit reached", "requests", "rate_limit_exceeded").withHeader("retry-after-ms", "1500")),
  SLOW_HEADERS(FailureKind.TIMED_OUT, 504, () -> FakeUpstream.answers("too late").withFixedDelay(UpstreamMisbehaviour.SLOW_MS)),
  SLOW_BODY(FailureKind.TIMED_OUT, 504, () -> FakeUpstream.answers("too late, in drips").withChunkedDribbleDelay(5, UpstreamMisbehaviour.SLOW_MS)),
  CONNECTION_RESET(FailureKind.NETWORK_ERROR, 502, () -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
  CLOSED_WITHOUT_RESPONSE(FailureKind.NETWORK_ERROR, 502, () -> aResponse().withFault(Fault.EMPTY_RESPONSE)),
  GARBAGE_THEN_CLOSE(FailureKind.NETWORK_ERROR, 502, () -> aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)),
  EMPTY_200(FailureKind.BAD_RESPONSE, 502, () -> aResponse().withStatus(200).withHeader("content-type", "application/json").withBody("")),
  MALFORMED_JSON(FailureKind.BAD_RESPONSE, 502, () -> aResponse().withStatus(200).withHeader("content-type", "application/json").withBody("{\"id\":\"chatcmpl-1\",\"choices\":[")),
  NO_CHOICES(
      FailureKind.BAD_RESPONSE,
      502,
      () -> aResponse().withStatus(200).withHeader("content-type", "application/json").withBody("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}")),
  HTML_200(FailureKind.BAD_RESPONSE, 502, () -> aResponse().withStatus(200).withHeader("content-type", "text/html").withBody("<html>captive portal</html>")),
  HTTP_401(FailureKind.AUTH_REJECTED, 502, () -> FakeUpstream.openAiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")),
  HTTP_403(FailureKind.AUTH_REJECTED, 502, () -> FakeUpstream.openAiError(403, "Project does not have access.", "invalid_request_error", null)),
  HTTP_404(
      FailureKind.UPSTREAM_NOT_FOUND,
      502,
      () -> FakeUpstream.openAiError(404, "The model `gpt-x` does not exist", "invalid_request_error", "model_not_found"));

  /** The timeout of a target expected to answer, or to fail by anything but slowness. */
  public static final int GENEROUS_TIMEOUT_MS = 10_000;

  /** The timeout of a target expected to be too slow; well under {@link #SLOW_MS}. */
  public static final int SHORT_TIMEOUT_MS = 400;

  private static final int SLOW_MS = 2_000;

  private final FailureKind kind;
  private final int statusWhenAllFail;
  private final Supplier<ResponseDefinitionBuilder> response;

  UpstreamMisbehaviour(FailureKind kind, int statusWhenAllFail, Supplier<ResponseDefinitionBuilder> response) {
    this.kind = kind;
    this.statusWhenAllFail = statusWhenAllFail;
    this.response = response;
  }

  public FailureKind kind() {
    return kind;
  }

  /** 504 when every attempt timed out, 503 when all were rate limited, 502 otherwise. */
  public int statusWhenAllFail() {
    return statusWhenAllFail;
  }

  public int targetTimeoutMs() {
    return kind == FailureKind.TIMED_OUT ? SHORT_TIMEOUT_MS : GENEROUS_TIMEOUT_MS;
  }

  public ResponseDefinitionBuilder response() {
    return response.get();
  }
}
