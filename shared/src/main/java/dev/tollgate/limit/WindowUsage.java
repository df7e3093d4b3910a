package dev.tollgate.limit;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/**
 * How much of a window is used at {@code now}, from the counts of its current bucket and the
 * bucket before it, and whether a draw still fits. Both stores decide with this one piece of
 * arithmetic, so they agree.
 *
 * <p>FIXED: the window is the current bucket; {@code previous} is ignored.
 *
 * <p>SLIDING (the two-bucket weighted estimate): the last {@code length} up to now covers the end
 * of the previous bucket and the start of the current one. The part of the previous bucket still
 * inside is {@code w = (length - elapsed) / length}, where {@code elapsed} is the time since the
 * current bucket began, so the estimate is {@code current + ceil(previous * w)} (at millisecond
 * resolution, rounded up: when unsure, count more). It assumes the previous bucket's traffic was
 * spread evenly over it. Error bound: when that traffic came late in the bucket (inside the
 * sliding window), the estimate undercounts by at most {@code previous * (1 - w)}, so a true
 * sliding window of {@code length} can hold up to {@code previous + current}, which is at most
 * twice the limit in the worst case; every fixed bucket still holds at most the limit. When it came
 * early (already slid out), the estimate overcounts by at most {@code previous * w} and admits
 * less than a precise sliding log would. Evenly spread traffic gives neither.
 */
public record WindowUsage(Window window, Instant now, long previous, long current) {

  /** The start of the bucket that counts at {@code now}. */
  public Instant bucketStart() {
    return window.bucketStart(now);
  }

  /** The start of the bucket before it, which a sliding window partly still covers. */
  public Instant previousBucketStart() {
    return bucketStart().minus(window.length());
  }

  /** The part of the previous bucket's count still inside the window, rounded up; 0 for FIXED. */
  public long previousShare() {
    if (window.kind() == Window.Kind.FIXED || previous <= 0) {
      return 0;
    }
    long lengthMs = window.length().toMillis();
    return shareAt(previous, lengthMs - elapsedMs(), lengthMs);
  }

  /** The estimated usage of the window: the current bucket plus the previous bucket's share. */
  public long used() {
    return current + previousShare();
  }

  /** What is left of {@code limit}, never negative. */
  public long remaining(long limit) {
    return Math.max(0, limit - used());
  }

  /**
   * The highest count of the current bucket at which {@code amount} still fits: the condition a
   * store puts on its atomic add (DynamoDB conditions cannot do arithmetic). Negative when the
   * draw cannot fit at all.
   */
  public long threshold(long limit, long amount) {
    return limit - amount - previousShare();
  }

  public boolean fits(long limit, long amount) {
    return current <= threshold(limit, amount);
  }

  /**
   * How long until {@code amount} would fit if nothing else were used or settled meanwhile.
   * FIXED: until the bucket ends. SLIDING: until enough of the previous bucket has slid out; when
   * the current bucket alone is too full, until the next bucket has let enough of this one slide
   * out. A draw larger than its limit never fits; FIXED then reports the bucket end, SLIDING the
   * bucket end plus a whole window (when the window is certainly empty).
   */
  public Duration retryAfter(long limit, long amount) {
    Duration toBucketEnd = Duration.between(now, bucketStart().plus(window.length()));
    if (window.kind() == Window.Kind.FIXED) {
      return toBucketEnd;
    }
    long lengthMs = window.length().toMillis();
    long room = limit - amount - current;
    if (room >= 0) {
      Instant fits = bucketStart().plusMillis(elapsedUntilShareFits(previous, room, lengthMs));
      return Duration.between(now, fits).isNegative() ? Duration.ZERO : Duration.between(now, fits);
    }
    if (amount > limit) {
      return toBucketEnd.plus(window.length());
    }
    // In the next bucket, today's current bucket is the previous one and slides out in turn.
    return toBucketEnd.plusMillis(elapsedUntilShareFits(current, limit - amount, lengthMs));
  }

  private long elapsedMs() {
    return now.toEpochMilli() - bucketStart().toEpochMilli();
  }

  /** ceil(count * insideMs / lengthMs), exactly. */
  private static long shareAt(long count, long insideMs, long lengthMs) {
    return BigInteger.valueOf(count)
        .multiply(BigInteger.valueOf(insideMs))
        .add(BigInteger.valueOf(lengthMs - 1))
        .divide(BigInteger.valueOf(lengthMs))
        .longValueExact();
  }

  /** The least elapsed time (ms) at which ceil(count * (length - elapsed) / length) <= room. */
  private static long elapsedUntilShareFits(long count, long room, long lengthMs) {
    if (count <= room) {
      return 0;
    }
    long inside =
        BigInteger.valueOf(room).multiply(BigInteger.valueOf(lengthMs)).divide(BigInteger.valueOf(count)).longValueExact();
    return lengthMs - inside;
  }
}
