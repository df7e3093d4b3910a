package dev.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.Json;
import dev.tollgate.testing.ConfigItems;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Typed field reading: what counts as an integer, and that every error is collected. */
class ItemReaderTest {

  private static ItemReader reader(String field, String json) {
    return new ItemReader(ConfigItems.settings().with(field, Json.parse(json)).build());
  }

  @Test
  void wholeNumbersWrittenAsDecimalsAreIntegers() {
    for (String text : List.of("60", "60.0", "6e1", "6.0E1")) {
      ItemReader reader = reader("n", text);

      assertEquals(60, reader.integer("n", -1, 0, 100), text);
      assertTrue(reader.ok(), text);
    }
  }

  @Test
  void fractionsTextsAndHugeNumbersAreNotIntegers() {
    for (String text : List.of("2.5", "\"60\"", "true", "[60]", "1e30", "123456789012345678901234567890")) {
      ItemReader reader = reader("n", text);

      assertEquals(-1, reader.integer("n", -1, 0, 1_000_000), text);
      assertEquals(1, reader.errors().size(), text);
      assertEquals("n", reader.errors().getFirst().field());
    }
  }

  @Test
  void anAbsentOrNullFieldTakesTheFallback() {
    ItemReader reader = reader("n", "null");

    assertEquals(7, reader.integer("n", 7, 0, 10));
    assertEquals(7, reader.integer("absent", 7, 0, 10));
    assertTrue(reader.bool("absent", true));
    assertTrue(reader.ok());
  }

  @Test
  void everyProblemIsCollectedNotJustTheFirst() {
    ItemReader reader =
        new ItemReader(ConfigItems.settings().with("a", "x").with("b", 99).with("c", "yes").with("d", List.of()).build());

    reader.integer("a", 0, 0, 10);
    reader.integer("b", 0, 0, 10);
    reader.bool("c", false);
    reader.stringList("d", Pattern.compile(".*"), "names");
    reader.requiredString("e", Pattern.compile(".*"), "text");
    reader.rejectUnknown(Set.of("a", "b", "c", "d"));

    assertEquals(List.of("a", "b", "c", "d", "e"), reader.errors().stream().map(ConfigError::field).toList());
  }

  @Test
  void aLongValueIsShortenedInTheError() {
    ItemReader reader = reader("n", "\"" + "x".repeat(500) + "\"");

    reader.integer("n", 0, 0, 1);

    String shown = reader.errors().getFirst().value();
    assertEquals(80, shown.length());
    assertTrue(shown.endsWith("..."));
  }

  @Test
  void aListMustHoldOnlyMatchingStrings() {
    ItemReader reader = new ItemReader(ConfigItems.settings().with("m", List.of("a", "b")).build());

    assertEquals(List.of("a", "b"), reader.stringList("m", Pattern.compile("[a-z]"), "letters"));
    assertEquals(List.of(), reader.stringList("m", Pattern.compile("a"), "only a"));
    assertEquals("a non-empty list of only a", reader.errors().getFirst().expected());
  }
}
