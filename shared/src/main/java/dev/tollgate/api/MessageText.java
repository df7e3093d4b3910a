package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Extracts the plain text of a message's content, string or array of parts. */
public final class MessageText {

  private MessageText() {}

  public static String of(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }
}
