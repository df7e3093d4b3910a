package dev.tollgate.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * Asserts two JSON trees are equal with numbers compared by value: a store may hand back
 * {@code 60} as a long where the parser made an int, or {@code 0.15} as a decimal.
 */
public final class SameJson {

  private static final Comparator<JsonNode> BY_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private SameJson() {}

  public static void assertSameJson(JsonNode expected, JsonNode actual) {
    assertTrue(expected.equals(BY_VALUE, actual), () -> "expected " + expected + " but was " + actual);
  }
}
