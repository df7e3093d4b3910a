package dev.tollgate.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort for an audit record the sink could not store: the whole record as one JSON log
 * line, marked {@code "auditFallback": true}, on the logger {@value #LOGGER}. The functions' log
 * configuration writes that logger's messages as they are (no wrapping), so the line is the JSON
 * object itself and CloudWatch Logs Insights reads its fields.
 */
public final class AuditFallback {

  public static final String LOGGER = "dev.tollgate.audit.fallback";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  /** Writes lines to the fallback logger at WARN. */
  public static final Consumer<String> LOG_LINE = LOG::warn;

  private AuditFallback() {}

  /** The fallback line for {@code record}: its fields, the marker and why it was not stored. */
  public static String line(AuditRecord record, String reason) {
    ObjectNode line = Json.object();
    line.put("level", "WARN");
    line.put("logger", LOGGER);
    line.put("auditFallback", true);
    line.put("reason", reason == null ? "" : reason);
    line.setAll(record.toJson());
    return Json.text(line);
  }
}
