package dev.tollgate.config;

/** A rejected config value: where, which field, what was there, and what is expected. */
public record ConfigError(String location, String field, String value, String expected) {

  /** One line, e.g. {@code models.chat.targets[1]: weight = -5: expected an integer from 0 to 1000000}. */
  public String message() {
    StringBuilder line = new StringBuilder(location);
    if (field != null) {
      line.append(": ").append(field);
      line.append(value == null ? " is missing" : " = " + value);
    }
    return line.append(": expected ").append(expected).toString();
  }

  @Override
  public String toString() {
    return message();
  }
}
