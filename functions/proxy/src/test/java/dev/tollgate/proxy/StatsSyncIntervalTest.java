package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.routing.SharedTargetStats;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TOLLGATE_STATS_SYNC_SECONDS: a usable value is taken; a typo or a value under 1 s falls back instead of breaking init. */
class StatsSyncIntervalTest {

  private static Duration interval(String value) {
    return LambdaWiring.statsSyncInterval(Map.of(ProxyEnvironment.STATS_SYNC_SECONDS.variable(), value));
  }

  @Test
  void wholeSecondsAreTaken() {
    assertEquals(Duration.ofSeconds(30), interval(" 30 "));
  }

  @Test
  void unsetTypoOrUnderOneSecondIsTheDefault() {
    assertEquals(SharedTargetStats.DEFAULT_INTERVAL, LambdaWiring.statsSyncInterval(Map.of()));
    assertEquals(SharedTargetStats.DEFAULT_INTERVAL, interval("5s"));
    assertEquals(SharedTargetStats.DEFAULT_INTERVAL, interval("0"));
    assertEquals(SharedTargetStats.DEFAULT_INTERVAL, interval("-3"));
  }
}
