package dev.tollgate.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.time.Instant;
import java.util.Optional;

/**
 * One answer waiting for output moderation, as the proxy enqueues it and the moderation function
 * reads it (an SQS message body, JSON).
 *
 * @param disableAfterFlags 0 when flags never disable the consumer
 * @param at when the request was answered
 */
public record ModerationMessage(
    String requestId,
    String consumer,
    String group,
    String alias,
    String text,
    String guardrailId,
    String guardrailVersion,
    int disableAfterFlags,
    long flagWindowSeconds,
    Instant at) {

  /** Thrown for a body that is not a moderation message; it names fields, never the text. */
  public static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  public static ModerationMessage of(GuardrailRule rule, String requestId, String consumer, String group, String alias,
      String text, Instant at) {
    return new ModerationMessage(requestId, consumer, group, alias, text, rule.guardrailId(), rule.guardrailVersion(),
        rule.disableAfterFlags(), rule.flagWindow().toSeconds(), at);
  }

  public String toJson() {
    ObjectNode body = Json.object();
    body.put("requestId", requestId);
    body.put("consumer", consumer);
    body.put("group", group);
    body.put("alias", alias);
    body.put("text", text);
    body.put("guardrailId", guardrailId);
    body.put("guardrailVersion", guardrailVersion);
    if (disableAfterFlags > 0) {
      body.put("disableAfterFlags", disableAfterFlags);
    } else {
      body.putNull("disableAfterFlags");
    }
    body.put("flagWindowSeconds", flagWindowSeconds);
    body.put("at", at.toString());
    return Json.text(body);
  }

  public static ModerationMessage fromJson(String body) throws Malformed {
    JsonNode root = Optional.ofNullable(body).map(Json::parseOrNull).orElse(null);
    if (root == null || !root.isObject()) {
      throw new Malformed("the body is not a JSON object");
    }
    try {
      return new ModerationMessage(
          text(root, "requestId"),
          text(root, "consumer"),
          root.path("group").asText(""),
          root.path("alias").asText(""),
          text(root, "text"),
          text(root, "guardrailId"),
          text(root, "guardrailVersion"),
          root.path("disableAfterFlags").asInt(0),
          positive(root, "flagWindowSeconds"),
          Instant.parse(text(root, "at")));
    } catch (java.time.format.DateTimeParseException e) {
      throw new Malformed("'at' is not an ISO-8601 instant");
    }
  }

  private static String text(JsonNode root, String field) throws Malformed {
    JsonNode value = root.get(field);
    if (value == null || !value.isTextual() || (value.asText().isEmpty() && !field.equals("text"))) {
      throw new Malformed("'" + field + "' is missing or not a non-empty string");
    }
    return value.asText();
  }

  private static long positive(JsonNode root, String field) throws Malformed {
    JsonNode value = root.get(field);
    if (value == null || !value.canConvertToLong() || value.asLong() <= 0) {
      throw new Malformed("'" + field + "' is missing or not a positive integer");
    }
    return value.asLong();
  }
}
