package dev.tollgate.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The audit record's time format: ISO-8601 UTC with exactly three fraction digits, so the index's
 * sort key orders as text the way the instants order in time.
 */
public final class AuditTime {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AuditTime() {}

  public static String format(Instant at) {
    return FORMAT.format(at);
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
