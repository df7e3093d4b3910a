package dev.tollgate.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import dev.tollgate.api.MessageText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Allow and deny patterns over the text of a request's messages. Patterns are RE2 (RE2J), compiled
 * when config is validated, and match in time linear in the text, whatever the pattern: a hostile
 * prompt cannot make a guard backtrack for ever. A pattern matches anywhere in a message's text
 * ({@code find}); anchor it with {@code ^...$} for the whole text, and add {@code (?i)} to ignore case.
 *
 * <p>Every checked message must match no deny pattern and, when there are allow patterns, at least
 * one of them; with allow patterns, a request with no message to check fails too.
 */
public record PromptGuard(
    String name, List<Pattern> allow, List<Pattern> deny, Roles roles, History messages, Action action, PromptMatch match) {

  /** Which messages' roles are checked. */
  public enum Roles {
    /** Only {@code user} messages: what callers type. */
    USER,
    /** Every message, system and assistant turns included. */
    ALL
  }

  /** How much of the conversation is checked. */
  public enum History {
    /** The last message of a checked role. */
    LAST,
    /** Every message of a checked role. */
    ALL
  }

  /** What a violation does. */
  public enum Action {
    /** Refuse the request with 400 {@code prompt_blocked}. */
    BLOCK,
    /** Let it through and record the verdict for the audit. */
    FLAG
  }

  public PromptGuard {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(roles, "roles");
    Objects.requireNonNull(messages, "messages");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(match, "match");
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    if (allow.isEmpty() && deny.isEmpty()) {
      throw new IllegalArgumentException("a guard has at least one allow or deny pattern: " + name);
    }
  }

  /**
   * Why the messages from {@code from} (inclusive) to {@code to} (exclusive) break this guard, such
   * as {@code deny pattern 2} (its index in {@code deny}) or {@code no allow pattern}; empty when
   * they pass. The reason never contains the messages' text.
   */
  public Optional<String> violation(JsonNode messages, int from, int to) {
    List<JsonNode> checked = checked(messages, from, to);
    if (checked.isEmpty() && !allow.isEmpty()) {
      // An allow list says what may be sent: sending nothing it can check (no user message) is not a way round it.
      return Optional.of("no allow pattern");
    }
    for (JsonNode message : checked) {
      String text = MessageText.of(message.get("content"));
      for (int i = 0; i < deny.size(); i++) {
        if (deny.get(i).matcher(text).find()) {
          return Optional.of("deny pattern " + i);
        }
      }
      if (!allow.isEmpty() && allow.stream().noneMatch(pattern -> pattern.matcher(text).find())) {
        return Optional.of("no allow pattern");
      }
    }
    return Optional.empty();
  }

  private List<JsonNode> checked(JsonNode messages, int from, int to) {
    List<JsonNode> checked = new ArrayList<>();
    for (int i = to - 1; i >= from; i--) {
      JsonNode message = messages.get(i);
      if (roles == Roles.ALL || "user".equals(message.path("role").asText())) {
        checked.add(message);
        if (this.messages == History.LAST) {
          break;
        }
      }
    }
    return checked;
  }
}
