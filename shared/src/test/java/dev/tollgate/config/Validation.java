package dev.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.routing.Target;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.StandardProviders;
import java.time.Instant;
import java.util.List;

/** Validates items against the standard provider catalog and checks the errors, for the config tests. */
final class Validation {

  private static final ConfigValidator VALIDATOR = new ConfigValidator(StandardProviders.registry());

  private Validation() {}

  static ValidatedConfig validate(ConfigItem... items) {
    return VALIDATOR.validate(List.of(items), Instant.EPOCH);
  }

  /** The single error the item produces, checked for its location, field and expected text. */
  static ConfigError onlyError(ConfigItem item, String field, String expectedText) {
    List<ConfigError> errors = validate(item).errors();
    assertEquals(1, errors.size(), errors.toString());
    ConfigError error = errors.getFirst();
    assertEquals(item.location(), error.location());
    assertEquals(field, error.field());
    assertTrue(error.message().contains(expectedText), error.message());
    return error;
  }

  /** A valid OpenAI target of alias "chat". */
  static ConfigItems.Builder openAi(String id) {
    return ConfigItems.target("chat", id)
        .with("provider", "openai")
        .with("model", "gpt-4o-mini")
        .with("credential", "env:OPENAI_API_KEY");
  }

  /** The one target of alias "chat" a valid item yields. */
  static Target onlyTarget(ConfigItem item) {
    ValidatedConfig validated = validate(item);
    assertEquals(List.of(), validated.errors());
    return validated.config().route("chat").orElseThrow().targets().getFirst();
  }
}
