package dev.tollgate.provider;

/** A resolved provider credential. Its {@code toString} never shows the value. */
public record Secret(String value) {

  @Override
  public String toString() {
    return "Secret[****]";
  }
}
