package dev.tollgate.moderation;

import dev.tollgate.audit.PayloadRedactor;
import dev.tollgate.moderation.FilterPolicy.Action;
import dev.tollgate.moderation.FilterPolicy.Side;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Redacts every built-in PII type ({@link PiiType}) from a text, the way a response filter with
 * {@code pii: [all of them]} and {@code action: redact} does: for audit payloads and anything
 * else that must not keep personal data or keys.
 */
public final class PiiRedactor implements PayloadRedactor {

  /** One instance serves everyone: it holds no state. */
  public static final PiiRedactor ALL = new PiiRedactor();

  private final TextFilter filter;

  private PiiRedactor() {
    FilterPolicy every =
        new FilterPolicy(
            "pii",
            Arrays.stream(PiiType.values()).map(PiiType::detector).toList(),
            Action.REDACT,
            Side.BOTH,
            Set.of(),
            Set.of(),
            FilterPolicy.MAX_MAX_MATCH_CHARS);
    this.filter = new TextFilter(List.of(every));
  }

  @Override
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return filter.filterAll(text, new FilterTally());
  }
}
