package dev.tollgate.limit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A counting window of {@code length} (1 s to 31 days, whole seconds). Both kinds count in
 * buckets of {@code length} aligned to the epoch: a FIXED window is its current bucket; a SLIDING
 * window is the last {@code length} up to now, estimated from the current and the previous bucket
 * (see {@link WindowUsage}). A 30-day window is aligned to the epoch, not to calendar months.
 */
public record Window(Kind kind, Duration length) {

  /** Whether the window is the epoch-aligned bucket or the last {@code length} up to now. */
  public enum Kind {
    FIXED,
    SLIDING
  }

  public static final Duration SHORTEST = Duration.ofSeconds(1);
  public static final Duration LONGEST = Duration.ofDays(31);

  public Window {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(length, "length");
    if (length.compareTo(SHORTEST) < 0 || length.compareTo(LONGEST) > 0 || length.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "window length must be whole seconds from " + SHORTEST + " to " + LONGEST + ", was " + length);
    }
  }

  public static Window fixed(Duration length) {
    return new Window(Kind.FIXED, length);
  }

  public static Window sliding(Duration length) {
    return new Window(Kind.SLIDING, length);
  }

  /** The start of the epoch-aligned bucket that holds {@code now}; both kinds count there. */
  public Instant bucketStart(Instant now) {
    long seconds = length.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), seconds) * seconds);
  }

  /** Where the window that counts at {@code now} begins: the bucket start, or now minus length. */
  public Instant start(Instant now) {
    return kind == Kind.FIXED ? bucketStart(now) : now.minus(length);
  }

  /** Where the window that counts at {@code now} ends: the bucket end, or now. */
  public Instant end(Instant now) {
    return kind == Kind.FIXED ? bucketStart(now).plus(length) : now;
  }

  /** The window as people say it, in its largest exact unit: {@code 1m fixed}, {@code 30d sliding}. */
  public String describe() {
    long seconds = length.toSeconds();
    String amount =
        seconds % 86_400 == 0 ? seconds / 86_400 + "d"
            : seconds % 3_600 == 0 ? seconds / 3_600 + "h"
            : seconds % 60 == 0 ? seconds / 60 + "m"
            : seconds + "s";
    return amount + " " + kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** A short stable name for storage keys, e.g. {@code fixed-60} or {@code sliding-3600}. */
  public String label() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + length.toSeconds();
  }
}
