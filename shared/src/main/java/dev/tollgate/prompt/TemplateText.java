package dev.tollgate.prompt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of one template message, split once (when config is validated) into literal text
 * and {@code {{name}}} placeholders. Rendering puts each value in as plain data in a single pass, so
 * a value that itself contains {@code {{x}}} stays exactly as sent.
 */
public final class TemplateText {

  /** A variable name: a letter or {@code _}, then letters, digits and {@code _}; 64 at most. */
  public static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  public static final String VARIABLE_EXPECTED =
      "{{name}}, the name of 1 to 64 letters, digits and _ not starting with a digit";
  /** Anything between double braces, to find placeholders and reject malformed ones. */
  private static final Pattern BRACED = Pattern.compile("\\{\\{([^{}]*)}}");

  private sealed interface Part permits Literal, Variable {}

  private record Literal(String text) implements Part {}

  private record Variable(String name) implements Part {}

  private final List<Part> parts;
  private final SequencedSet<String> variables = new LinkedHashSet<>();

  private TemplateText(List<Part> parts) {
    this.parts = List.copyOf(parts);
    parts.forEach(part -> {
      if (part instanceof Variable(String name)) {
        variables.add(name);
      }
    });
  }

  /**
   * Parses {@code content}; a {@code {{...}}} that is not a valid placeholder is an
   * {@link IllegalArgumentException} naming it, so a typo like {@code {{user name}}} cannot pass
   * as literal text. Braces that form no {@code {{...}}} are text.
   */
  public static TemplateText parse(String content) {
    List<Part> parts = new ArrayList<>();
    Matcher braced = BRACED.matcher(content);
    int at = 0;
    while (braced.find()) {
      String name = braced.group(1).strip();
      if (!VARIABLE.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "'" + shorten(braced.group()) + "' is not a placeholder: write " + VARIABLE_EXPECTED);
      }
      if (braced.start() > at) {
        parts.add(new Literal(content.substring(at, braced.start())));
      }
      parts.add(new Variable(name));
      at = braced.end();
    }
    if (at < content.length()) {
      parts.add(new Literal(content.substring(at)));
    }
    return new TemplateText(parts);
  }

  /** The names of the placeholders, in order of first use. */
  public SequencedSet<String> variables() {
    return java.util.Collections.unmodifiableSequencedSet(variables);
  }

  /** The text with every placeholder replaced by its value; every variable must have one. */
  public String render(Map<String, String> values) {
    StringBuilder text = new StringBuilder();
    for (Part part : parts) {
      switch (part) {
        case Literal(String literal) -> text.append(literal);
        case Variable(String name) -> {
          String value = values.get(name);
          if (value == null) {
            throw new IllegalArgumentException("no value for " + name);
          }
          text.append(value);
        }
      }
    }
    return text.toString();
  }

  private static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 37) + "..." : text;
  }
}
