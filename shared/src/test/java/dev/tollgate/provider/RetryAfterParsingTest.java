package dev.tollgate.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code Retry-After} in both forms, and {@code retry-after-ms}, as seconds from a given moment. */
class RetryAfterParsingTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private static long seconds(Map<String, String> headers) {
    HttpHeaders http =
        HttpHeaders.of(
            headers.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
            (name, value) -> true);
    return HttpFailures.retryAfterSeconds(http, NOW);
  }

  @Test
  void seconds() {
    assertEquals(10, seconds(Map.of("Retry-After", "10")));
    assertEquals(2, seconds(Map.of("retry-after", "1.2")), "rounded up");
  }

  @Test
  void anHttpDateCountsFromNow() {
    assertEquals(10, seconds(Map.of("Retry-After", "Fri, 02 Jan 2026 03:04:15 GMT")));
    assertEquals(0, seconds(Map.of("Retry-After", "Fri, 02 Jan 2026 03:04:00 GMT")), "a date in the past");
  }

  @Test
  void milliseconds() {
    assertEquals(3, seconds(Map.of("retry-after-ms", "2500")));
    assertEquals(1, seconds(Map.of("retry-after-ms", "1")));
  }

  @Test
  void noneOrUnreadableIsZero() {
    assertEquals(0, seconds(Map.of()));
    assertEquals(0, seconds(Map.of("Retry-After", "soon")));
  }
}
