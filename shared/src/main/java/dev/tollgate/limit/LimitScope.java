package dev.tollgate.limit;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One part of a limit policy's counter key: the route (model alias), the target, the consumer,
 * the consumer group, a request header or a request metadata field. A policy's parts combine in
 * order, e.g. {@code [consumer, route]} counts per consumer per model.
 */
public record LimitScope(Kind kind, String name) {

  /** What the part of the key is taken from. */
  public enum Kind {
    ROUTE,
    TARGET,
    CONSUMER,
    GROUP,
    HEADER,
    METADATA
  }

  /** HTTP token characters people use in header names. */
  static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** OpenAI's {@code metadata} keys are at most 64 characters. */
  static final Pattern METADATA_FIELD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  /** The accepted spellings, for error messages. */
  public static final String SYNTAX =
      "route, target, consumer, group, header:<name> or metadata:<field> (names of letters, digits and . _ -, up to 64)";

  public LimitScope {
    Objects.requireNonNull(kind, "kind");
    boolean named = kind == Kind.HEADER || kind == Kind.METADATA;
    if (named != (name != null)) {
      throw new IllegalArgumentException(kind + " scope " + (named ? "needs" : "takes no") + " name");
    }
    if (kind == Kind.HEADER) {
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a header name: " + name);
      }
      name = name.toLowerCase(Locale.ROOT); // header names are case-insensitive
    }
    if (kind == Kind.METADATA && !METADATA_FIELD.matcher(name).matches()) {
      throw new IllegalArgumentException("not a metadata field: " + name);
    }
  }

  /** A scope entry as written in config, e.g. {@code consumer} or {@code header:x-tenant}. */
  public static Optional<LimitScope> parse(String text) {
    int colon = text.indexOf(':');
    String head = colon < 0 ? text : text.substring(0, colon);
    String name = colon < 0 ? null : text.substring(colon + 1);
    Kind kind =
        switch (head) {
          case "route" -> Kind.ROUTE;
          case "target" -> Kind.TARGET;
          case "consumer" -> Kind.CONSUMER;
          case "group" -> Kind.GROUP;
          case "header" -> Kind.HEADER;
          case "metadata" -> Kind.METADATA;
          default -> null;
        };
    if (kind == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new LimitScope(kind, name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The config spelling, the inverse of {@link #parse}. */
  @Override
  public String toString() {
    String head = kind.name().toLowerCase(Locale.ROOT);
    return name == null ? head : head + ":" + name;
  }
}
