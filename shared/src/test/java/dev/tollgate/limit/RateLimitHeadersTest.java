package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

  private static LimitPolicy policy(String name, LimitPolicy.Metric metric, long limit) {
    return new LimitPolicy(name, metric, limit, Window.fixed(Duration.ofMinutes(1)), List.of(), LimitMatch.ANY,
        LimitPolicy.Mode.CLUSTER, LimitPolicy.StoreFailure.FAIL_CLOSED, 1024, false);
  }

  @Test
  void durationsAreWrittenAsOpenAiWritesThem() {
    assertEquals("20ms", RateLimitHeaders.duration(Duration.ofMillis(20)));
    assertEquals("1s", RateLimitHeaders.duration(Duration.ofSeconds(1)));
    assertEquals("8.64s", RateLimitHeaders.duration(Duration.ofMillis(8_640)));
    assertEquals("6m0s", RateLimitHeaders.duration(Duration.ofMinutes(6)));
    assertEquals("1h2m3.5s", RateLimitHeaders.duration(Duration.ofMillis(3_723_500)));
    assertEquals("0ms", RateLimitHeaders.duration(Duration.ofMillis(-5)));
  }

  @Test
  void thePolicyWithTheLeastLeftSpeaksForItsKind() {
    Map<String, String> headers = new LinkedHashMap<>();
    RateLimitHeaders.put(headers, policy("big", LimitPolicy.Metric.TOTAL_TOKENS, 100_000), 10, Duration.ofSeconds(5));
    RateLimitHeaders.put(headers, policy("small", LimitPolicy.Metric.COMPLETION_TOKENS, 1_000), 900, Duration.ofSeconds(7));
    RateLimitHeaders.put(headers, policy("roomy", LimitPolicy.Metric.PROMPT_TOKENS, 5_000), 0, Duration.ofSeconds(9));
    RateLimitHeaders.put(headers, policy("rpm", LimitPolicy.Metric.REQUESTS, 60), 61, Duration.ofSeconds(3));
    RateLimitHeaders.put(headers, policy("budget", LimitPolicy.Metric.COST_USD, 25_500_000), 125, Duration.ofHours(2));

    assertEquals("1000", headers.get("x-ratelimit-limit-tokens"));
    assertEquals("100", headers.get("x-ratelimit-remaining-tokens"));
    assertEquals("7s", headers.get("x-ratelimit-reset-tokens"));
    assertEquals("0", headers.get("x-ratelimit-remaining-requests"), "usage past the limit shows as none left");
    assertEquals("25.5", headers.get("x-tollgate-budget-limit-usd"));
    assertEquals("25.499875", headers.get("x-tollgate-budget-remaining-usd"));
    assertEquals("2h0m0s", headers.get("x-tollgate-budget-reset"));

    RateLimitHeaders.clear(headers);
    assertEquals(Map.of(), headers);
  }

  @Test
  void aSlidingWindowResetsOneLengthAfterItsBucketEnds() {
    Instant now = Instant.parse("2026-01-02T03:04:50Z");
    assertEquals(Duration.ofSeconds(10), RateLimitHeaders.reset(Window.fixed(Duration.ofMinutes(1)), now));
    assertEquals(Duration.ofSeconds(70), RateLimitHeaders.reset(Window.sliding(Duration.ofMinutes(1)), now));
  }
}
