package dev.tollgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.MessageText;
import java.nio.charset.StandardCharsets;

/** The prompt of a chat request as audit text: one {@code role: text} line block per message. */
final class PromptText {

  private PromptText() {}

  static String of(ChatRequest chat) {
    StringBuilder text = new StringBuilder();
    for (JsonNode message : chat.body().path("messages")) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(message.path("role").asText("?")).append(": ").append(MessageText.of(message.get("content")));
    }
    return text.toString();
  }

  /** {@code text} cut to at most {@code maxBytes} of UTF-8, never inside a character. */
  static String cut(String text, int maxBytes) {
    if (text.length() * 3L <= maxBytes) {
      return text;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    int end = maxBytes;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // back to the first byte of the character the cut would split
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
