package dev.tollgate.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;

/** Puts a context block into a chat request's messages, where the retrieval policy says. */
final class ContextInjector {

  private ContextInjector() {}

  /** Injects {@code block} into {@code body}'s messages (changed in place). */
  static void inject(ObjectNode body, String block, RagRule.Inject mode) {
    ArrayNode messages = body.withArray("messages");
    if (mode == RagRule.Inject.USER && prependToLastUser(messages, block)) {
      return;
    }
    asSystemMessage(messages, block);
  }

  /** One system message right after the leading system (and developer) messages, so theirs still come first. */
  private static void asSystemMessage(ArrayNode messages, String block) {
    int at = 0;
    while (at < messages.size() && isInstruction(messages.get(at))) {
      at++;
    }
    messages.insert(at, Json.object().put("role", "system").put("content", block));
  }

  private static boolean isInstruction(JsonNode message) {
    String role = message.path("role").asText();
    return role.equals("system") || role.equals("developer");
  }

  /** False when there is no user message to prepend to. */
  private static boolean prependToLastUser(ArrayNode messages, String block) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if (!"user".equals(message.path("role").asText()) || !(message instanceof ObjectNode user)) {
        continue;
      }
      JsonNode content = user.get("content");
      if (content != null && content.isArray()) {
        // Parts (text, images): the block becomes the first text part, the caller's parts follow unchanged.
        ((ArrayNode) content).insert(0, Json.object().put("type", "text").put("text", block));
      } else {
        String text = content == null || content.isNull() ? "" : content.asText();
        user.put("content", block + "\n\nQuestion:\n" + text);
      }
      return true;
    }
    return false;
  }
}
