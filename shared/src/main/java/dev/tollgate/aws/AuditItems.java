package dev.tollgate.aws;

import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.audit.AuditTime;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.rag.Citation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An {@link AuditRecord} as an item of the audit table and back. Plain attribute names, numbers
 * as numbers, so records read well in the console and in {@code aws dynamodb query}. Absent values
 * (no cost, no time to first token, no payloads) are absent attributes.
 */
public final class AuditItems {

  public static final String REQUEST_ID = "requestId";
  public static final String CONSUMER = "consumer";
  public static final String AT = "at";
  public static final String MODERATION = "moderation";
  public static final String SOURCES = "sources";

  private AuditItems() {}

  public static Map<String, AttributeValue> toItem(AuditRecord record) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(REQUEST_ID, s(record.requestId()));
    item.put(AT, s(AuditTime.format(record.at())));
    item.put("method", s(record.method()));
    item.put("path", s(record.path()));
    item.put(CONSUMER, s(record.consumer()));
    putText(item, "group", record.group());
    putText(item, "alias", record.alias());
    List<AttributeValue> attempts = new ArrayList<>();
    for (AuditRecord.AttemptEntry attempt : record.attempts()) {
      attempts.add(m(Map.of("target", s(attempt.target()), "outcome", s(attempt.outcome()), "ms", n(attempt.ms()))));
    }
    item.put("attempts", AttributeValue.fromL(attempts));
    item.put("status", n(record.status()));
    putText(item, "outcome", record.outcome());
    item.put("tokensIn", n(record.tokensIn()));
    item.put("tokensOut", n(record.tokensOut()));
    if (record.costUsd() != null) {
      item.put("costUsd", AttributeValue.fromN(record.costUsd().stripTrailingZeros().toPlainString()));
    }
    item.put("overheadMs", ms(record.overheadMs()));
    if (record.ttftMs() != null) {
      item.put("ttftMs", ms(record.ttftMs()));
    }
    item.put("upstreamMs", ms(record.upstreamMs()));
    item.put("cache", s(record.cache()));
    List<AttributeValue> verdicts = new ArrayList<>();
    for (Verdict verdict : record.verdicts()) {
      verdicts.add(m(Map.of("stage", s(verdict.stage()), "policy", s(verdict.policy()), "action", s(verdict.action()),
          "detail", s(verdict.detail()))));
    }
    item.put("verdicts", AttributeValue.fromL(verdicts));
    if (record.moderation() != null) {
      item.put(MODERATION, s(record.moderation()));
    }
    putText(item, "prompt", record.prompt());
    putText(item, "response", record.response());
    item.put(TableSchemas.TTL_ATTRIBUTE, n(record.expiresAt()));
    if (!record.sources().isEmpty()) {
      List<AttributeValue> sources = new ArrayList<>();
      for (Citation c : record.sources()) {
        sources.add(m(Map.of("n", n(c.n()), "kb", s(c.kb()), "documentId", s(c.documentId()), "chunkId", s(c.chunkId()),
            "position", n(c.position()), "score", score(c.score()))));
      }
      item.put(SOURCES, AttributeValue.fromL(sources));
    }
    return item;
  }

  /**
   * A stored item as a record. The moderation function replaces {@code moderation} with a map of
   * its verdict; the record carries that map as JSON text.
   */
  public static AuditRecord fromItem(Map<String, AttributeValue> item) {
    List<AuditRecord.AttemptEntry> attempts = new ArrayList<>();
    for (AttributeValue attempt : list(item, "attempts")) {
      Map<String, AttributeValue> fields = attempt.m();
      attempts.add(new AuditRecord.AttemptEntry(text(fields, "target"), text(fields, "outcome"), number(fields, "ms").longValue()));
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (AttributeValue verdict : list(item, "verdicts")) {
      Map<String, AttributeValue> fields = verdict.m();
      verdicts.add(new Verdict(text(fields, "stage"), text(fields, "policy"), text(fields, "action"), text(fields, "detail")));
    }
    List<Citation> sources = new ArrayList<>();
    for (AttributeValue source : list(item, SOURCES)) {
      Map<String, AttributeValue> fields = source.m();
      sources.add(new Citation(number(fields, "n").intValue(), text(fields, "kb"), text(fields, "documentId"),
          text(fields, "chunkId"), number(fields, "position").intValue(), number(fields, "score").doubleValue()));
    }
    return new AuditRecord(
        text(item, REQUEST_ID),
        AuditTime.parse(text(item, AT)),
        text(item, "method"),
        text(item, "path"),
        text(item, CONSUMER),
        text(item, "group"),
        text(item, "alias"),
        attempts,
        number(item, "status").intValue(),
        text(item, "outcome"),
        number(item, "tokensIn").longValue(),
        number(item, "tokensOut").longValue(),
        item.containsKey("costUsd") ? number(item, "costUsd") : null,
        number(item, "overheadMs").doubleValue(),
        item.containsKey("ttftMs") ? number(item, "ttftMs").doubleValue() : null,
        number(item, "upstreamMs").doubleValue(),
        text(item, "cache"),
        verdicts,
        moderation(item.get(MODERATION)),
        item.containsKey("prompt") ? text(item, "prompt") : null,
        item.containsKey("response") ? text(item, "response") : null,
        number(item, TableSchemas.TTL_ATTRIBUTE).longValue(),
        sources);
  }

  private static String moderation(AttributeValue value) {
    if (value == null) {
      return null;
    }
    return value.s() != null ? value.s() : Json.text(AttributeValues.toJson(value));
  }

  private static void putText(Map<String, AttributeValue> item, String name, String value) {
    if (value != null && !value.isEmpty()) {
      item.put(name, s(value));
    }
  }

  private static String text(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.s() == null ? "" : value.s();
  }

  private static BigDecimal number(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? BigDecimal.ZERO : new BigDecimal(value.n());
  }

  private static List<AttributeValue> list(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || !value.hasL() ? List.of() : value.l();
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value == null ? "" : value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static AttributeValue ms(double value) {
    return AttributeValue.fromN(BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
  }

  /** Plain decimal (no exponent), 6 places: what DynamoDB and people both read. */
  private static AttributeValue score(double value) {
    double finite = Double.isFinite(value) ? value : 0;
    return AttributeValue.fromN(BigDecimal.valueOf(finite).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
  }

  private static AttributeValue m(Map<String, AttributeValue> fields) {
    return AttributeValue.fromM(fields);
  }
}
