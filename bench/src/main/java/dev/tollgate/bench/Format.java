package dev.tollgate.bench;

import java.util.Locale;

/** Number formatting for the results tables. */
final class Format {

  private Format() {}

  static String ms(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value < 10 ? "%.3f" : "%.1f", value);
  }

  static String signedMs(double value) {
    return Double.isNaN(value) ? "n/a" : (value >= 0 ? "+" : "") + ms(value);
  }

  static String whole(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
  }

  static String verdict(boolean met) {
    return met ? "met" : "**missed**";
  }
}
