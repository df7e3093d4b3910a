package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link WindowUsage}: the sliding estimate, the add threshold, and retry-after, at the edges. */
class WindowUsageTest {

  private static final Window SLIDING = Window.sliding(Duration.ofMinutes(1));
  private static final Window FIXED = Window.fixed(Duration.ofMinutes(1));

  private static WindowUsage at(Window window, String time, long previous, long current) {
    return new WindowUsage(window, Instant.parse("2026-11-24T" + time + "Z"), previous, current);
  }

  @Test
  void theWholePreviousBucketCountsAtTheBoundaryAndNoneOfItAtTheEnd() {
    assertEquals(100 + 10, at(SLIDING, "10:01:00", 100, 10).used());
    assertEquals(50 + 10, at(SLIDING, "10:01:30", 100, 10).used());
    assertEquals(1 + 10, at(SLIDING, "10:01:59.999", 100, 10).used(), "any part left counts, rounded up");
    assertEquals(10, at(SLIDING, "10:02:00", 0, 10).used());
  }

  @Test
  void aFixedWindowIgnoresThePreviousBucket() {
    WindowUsage usage = at(FIXED, "10:01:00", 100, 10);
    assertEquals(10, usage.used());
    assertEquals(100, usage.threshold(100, 0), "nothing of the previous bucket is taken off");
  }

  @Test
  void theThresholdIsTheLastCurrentCountAtWhichTheDrawFits() {
    WindowUsage usage = at(SLIDING, "10:01:30", 100, 0); // 50 of the previous bucket inside
    assertEquals(100 - 20 - 50, usage.threshold(100, 20));
    assertTrue(at(SLIDING, "10:01:30", 100, 30).fits(100, 20));
    assertFalse(at(SLIDING, "10:01:30", 100, 31).fits(100, 20));
    assertEquals(19, at(SLIDING, "10:01:30", 100, 31).remaining(100));
  }

  @Test
  void retryAfterWaitsForTheFixedBucketToEnd() {
    assertEquals(Duration.ofSeconds(15), at(FIXED, "10:00:45", 0, 100).retryAfter(100, 1));
  }

  @Test
  void retryAfterWaitsForEnoughOfThePreviousBucketToSlideOut() {
    // room 100 - 40 - 20 = 40 needs ceil(100 * inside / 60 s) <= 40: inside 24 s, so 36 s into the minute.
    assertEquals(Duration.ofSeconds(26), at(SLIDING, "10:01:10", 100, 20).retryAfter(100, 40));
    assertTrue(at(SLIDING, "10:01:36", 100, 20).fits(100, 40));
    assertFalse(at(SLIDING, "10:01:35.999", 100, 20).fits(100, 40));
  }

  @Test
  void retryAfterLooksIntoTheNextBucketWhenTheCurrentOneIsTooFull() {
    // current 90 + 20 > 100: next minute, 90 must slide down to 80, after 60 * (1 - 80/90) = 6.667 s.
    Duration wait = at(SLIDING, "10:01:50", 0, 90).retryAfter(100, 20);
    assertEquals(Duration.ofSeconds(10).plusMillis(6_667), wait);
    assertTrue(at(SLIDING, "10:02:06.667", 90, 0).fits(100, 20));
    assertFalse(at(SLIDING, "10:02:06.666", 90, 0).fits(100, 20));
  }

  @Test
  void aDrawLargerThanItsLimitWaitsAWholeEmptyWindow() {
    assertEquals(Duration.ofSeconds(70), at(SLIDING, "10:01:50", 0, 0).retryAfter(100, 101));
  }
}
