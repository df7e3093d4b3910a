package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link Window}: allowed lengths, epoch-aligned buckets, where fixed and sliding windows lie. */
class WindowTest {

  @Test
  void lengthsRunFromOneSecondToThirtyOneDaysInWholeSeconds() {
    Window.fixed(Duration.ofSeconds(1));
    Window.sliding(Duration.ofDays(31));
    assertThrows(IllegalArgumentException.class, () -> Window.fixed(Duration.ofMillis(999)));
    assertThrows(IllegalArgumentException.class, () -> Window.fixed(Duration.ofDays(31).plusSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> Window.sliding(Duration.ofMillis(1500)));
    assertThrows(IllegalArgumentException.class, () -> Window.fixed(Duration.ZERO));
  }

  @Test
  void bucketsAreAlignedToTheEpoch() {
    Window hour = Window.fixed(Duration.ofHours(1));
    assertEquals(Instant.parse("2026-11-24T10:00:00Z"), hour.bucketStart(Instant.parse("2026-11-24T10:59:59.999Z")));
    assertEquals(Instant.parse("2026-11-24T11:00:00Z"), hour.bucketStart(Instant.parse("2026-11-24T11:00:00Z")));
    Window thirtyDays = Window.fixed(Duration.ofDays(30));
    Instant start = thirtyDays.bucketStart(Instant.parse("2026-11-24T10:00:00Z"));
    assertEquals(0, start.getEpochSecond() % Duration.ofDays(30).toSeconds(), "aligned to the epoch, not to the month");
    assertEquals(Instant.parse("1969-12-31T23:59:00Z"), Window.fixed(Duration.ofMinutes(1)).bucketStart(Instant.parse("1969-12-31T23:59:30Z")));
  }

  @Test
  void aFixedWindowIsItsBucketAndASlidingOneEndsNow() {
    Instant now = Instant.parse("2026-11-24T10:00:45Z");
    Window fixed = Window.fixed(Duration.ofMinutes(1));
    Window sliding = Window.sliding(Duration.ofMinutes(1));

    assertEquals(Instant.parse("2026-11-24T10:00:00Z"), fixed.start(now));
    assertEquals(Instant.parse("2026-11-24T10:01:00Z"), fixed.end(now));
    assertEquals(Instant.parse("2026-11-24T09:59:45Z"), sliding.start(now));
    assertEquals(now, sliding.end(now));
    assertEquals("fixed-60", fixed.label());
    assertEquals("sliding-60", sliding.label());
  }
}
