package dev.tollgate.prompt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.util.Objects;
import java.util.Set;

/** A fixed chat message from config, as a decorator adds it: a role and plain text content. */
public record PromptMessage(String role, String content) {

  /** The roles config may give a message; tool messages need a call to answer, so they are not among them. */
  public static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

  public PromptMessage {
    Objects.requireNonNull(content, "content");
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("role must be one of " + ROLES + ", was " + role);
    }
  }

  /** The OpenAI chat message {@code {"role": ..., "content": ...}}. */
  public ObjectNode toJson() {
    return Json.object().put("role", role).put("content", content);
  }
}
