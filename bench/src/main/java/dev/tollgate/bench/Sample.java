package dev.tollgate.bench;

import java.util.Arrays;

/** Exact percentiles of a set of measurements in milliseconds (nearest rank on a sorted copy). */
final class Sample {

  private final double[] sorted;

  private Sample(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  static Sample ofMillis(double[] millis) {
    return new Sample(millis);
  }

  static Sample ofNanos(long[] nanos) {
    return new Sample(Arrays.stream(nanos).mapToDouble(n -> n / 1_000_000.0).toArray());
  }

  int size() {
    return sorted.length;
  }

  /** The smallest value with at least {@code p} percent of the sample at or below it; NaN if empty. */
  double percentile(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
  }

  double median() {
    return percentile(50);
  }

  double min() {
    return sorted.length == 0 ? Double.NaN : sorted[0];
  }

  double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }
}
