package dev.tollgate.prompt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tollgate.api.Json;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;

/**
 * A named list of messages with {@code {{variables}}} that a request can ask for by name (see
 * {@link PromptTemplatePolicy}); {@code match} says which model aliases and consumer groups may use it.
 */
public record PromptTemplate(String name, List<Message> messages, PromptMatch match) {

  /** One message of a template: a role and its parsed content. */
  public record Message(String role, TemplateText content) {

    public Message {
      if (!PromptMessage.ROLES.contains(role)) {
        throw new IllegalArgumentException("role must be one of " + PromptMessage.ROLES + ", was " + role);
      }
      Objects.requireNonNull(content, "content");
    }
  }

  public PromptTemplate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a template has at least one message: " + name);
    }
  }

  /** Every variable the template uses, in order of first use. */
  public SequencedSet<String> variables() {
    SequencedSet<String> names = new LinkedHashSet<>();
    messages.forEach(message -> names.addAll(message.content().variables()));
    return names;
  }

  /** The variables {@code values} lacks, in order of first use; empty when it can be rendered. */
  public List<String> missing(Map<String, String> values) {
    return variables().stream().filter(name -> !values.containsKey(name)).toList();
  }

  /** The template's messages with the values put in; {@link #missing} must be empty. */
  public ArrayNode render(Map<String, String> values) {
    ArrayNode rendered = Json.array();
    for (Message message : messages) {
      rendered.addObject().put("role", message.role()).put("content", message.content().render(values));
    }
    return rendered;
  }
}
