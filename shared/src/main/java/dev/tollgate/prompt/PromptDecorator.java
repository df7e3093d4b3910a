package dev.tollgate.prompt;

import java.util.List;
import java.util.Objects;

/**
 * Messages put around every matching request: {@code prepend} before the request's messages,
 * {@code append} after them. Several matching decorators apply in name order (see {@link PromptDecoratorPolicy}).
 */
public record PromptDecorator(String name, List<PromptMessage> prepend, List<PromptMessage> append, PromptMatch match) {

  public PromptDecorator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    prepend = List.copyOf(prepend);
    append = List.copyOf(append);
    if (prepend.isEmpty() && append.isEmpty()) {
      throw new IllegalArgumentException("a decorator adds at least one message: " + name);
    }
  }
}
