package dev.tollgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.ApiError;
import dev.tollgate.pipeline.Attempt;
import dev.tollgate.provider.FailureKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamErrorsTest {

  private static UpstreamErrors.Failed failed(String id, FailureKind kind, long retryAfter) {
    return new UpstreamErrors.Failed(new Attempt(id, false, kind.label(), 5), kind, retryAfter);
  }

  @Test
  void allTimeoutsAreAGatewayTimeout() {
    ApiError error =
        UpstreamErrors.exhausted(
            "chat", List.of(failed("a", FailureKind.TIMED_OUT, 0), failed("b", FailureKind.TIMED_OUT, 0)), false);

    assertEquals(504, error.status());
    assertEquals("upstream_timeout", error.code());
  }

  @Test
  void allRateLimitedIsUnavailableWithTheShortestPositiveRetryAfter() {
    ApiError error =
        UpstreamErrors.exhausted(
            "chat",
            List.of(
                failed("a", FailureKind.RATE_LIMITED, 30),
                failed("b", FailureKind.RATE_LIMITED, 0),
                failed("c", FailureKind.RATE_LIMITED, 7)),
            false);

    assertEquals(503, error.status());
    assertEquals("upstream_rate_limited", error.code());
    assertEquals(7, error.retryAfterSeconds());
  }

  @Test
  void rateLimitedWithoutAnyRetryAfterStillTellsTheClientToWait() {
    ApiError error = UpstreamErrors.exhausted("chat", List.of(failed("a", FailureKind.RATE_LIMITED, 0)), false);

    assertEquals(1, error.retryAfterSeconds());
  }

  @Test
  void mixedFailuresAreABadGateway() {
    ApiError error =
        UpstreamErrors.exhausted(
            "chat",
            List.of(failed("a", FailureKind.TIMED_OUT, 0), failed("b", FailureKind.RATE_LIMITED, 3)),
            false);

    assertEquals(502, error.status());
    assertEquals("upstream_error", error.code());
    assertEquals(0, error.retryAfterSeconds());
  }

  @Test
  void aSpentTimeBudgetIsAGatewayTimeoutWhateverTheFailures() {
    ApiError error = UpstreamErrors.exhausted("chat", List.of(failed("a", FailureKind.RATE_LIMITED, 3)), true);

    assertEquals(504, error.status());
    assertTrue(error.message().contains("time budget ran out"), error.message());
  }

  @Test
  void messageNamesTheAliasAndEveryTargetWithWhatHappened() {
    ApiError error =
        UpstreamErrors.exhausted(
            "chat", List.of(failed("east", FailureKind.SERVER_ERROR, 0), failed("west", FailureKind.NETWORK_ERROR, 0)), false);

    assertEquals(
        "No upstream could answer for model 'chat' (tried 2: east: server error; west: network error).",
        error.message());
  }
}
