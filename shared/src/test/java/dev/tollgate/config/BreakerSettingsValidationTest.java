package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.validate;
import static dev.tollgate.testing.ConfigItems.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tollgate.routing.BreakerSettings;
import dev.tollgate.testing.ConfigItems;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The circuit breaker's fields of the settings item. */
class BreakerSettingsValidationTest {

  @Test
  void defaultsWhenUnset() {
    assertEquals(BreakerSettings.DEFAULTS, validate().config().settings().breaker());
    assertEquals(
        new BreakerSettings(5, 0.5, 20, Duration.ofSeconds(30), Duration.ofSeconds(30)), BreakerSettings.DEFAULTS);
  }

  @Test
  void readsEveryField() {
    ConfigItem item =
        settings()
            .with("breakerFailures", 3)
            .with("breakerErrorRate", 0.25)
            .with("breakerMinCalls", 40)
            .with("breakerWindowMs", 60_000)
            .with("breakerCooldownMs", 10_000)
            .build();

    assertEquals(
        new BreakerSettings(3, 0.25, 40, Duration.ofMinutes(1), Duration.ofSeconds(10)),
        validate(item).config().settings().breaker());
  }

  @Test
  void breakerFailuresZeroTurnsItOff() {
    assertFalse(validate(settings().with("breakerFailures", 0).build()).config().settings().breaker().enabled());
  }

  @Test
  void outOfRangeValuesAreReportedAndTheDefaultsKept() {
    for (ConfigItems.Builder bad :
        List.of(
            settings().with("breakerFailures", -1),
            settings().with("breakerFailures", 1001),
            settings().with("breakerMinCalls", 0),
            settings().with("breakerWindowMs", 999),
            settings().with("breakerCooldownMs", 3_600_001))) {
      ConfigItem item = bad.build();
      String field = item.attributes().fieldNames().next();

      onlyError(item, field, "expected an integer from");
      assertEquals(Settings.DEFAULTS, validate(item).config().settings());
    }
    for (Object rate : List.of(0, 1.5, "half")) {
      ConfigItem item = settings().with("breakerErrorRate", rate).build();

      onlyError(item, "breakerErrorRate", "expected a number from 0.01 to 1");
      assertEquals(Settings.DEFAULTS, validate(item).config().settings());
    }
  }
}
