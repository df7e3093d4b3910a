package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Costs in micro-dollars from a target's prices or the price table, rounded up once. */
class CostCalculatorTest {

  // Illustrative prices passed in by the test, not any vendor's list.
  private static final ModelPrice TABLE_PRICE = new ModelPrice(usd("2.50"), usd("10.00"), usd("1.25"));
  private final CostCalculator calculator = new CostCalculator(Map.of("listed-model", TABLE_PRICE, "listed-alias", new ModelPrice(usd("1"), usd("2"))));

  @Test
  void aPricePerMillionTimesTokensIsMicroDollars() {
    Target priced = target("any-model", "chat", "2.50", "10.00");
    assertEquals(OptionalLong.of(2_500 + 5_000), calculator.microDollars(new Usage(1_000, 500, 1_500), priced));
  }

  @Test
  void fractionsRoundUpOnceOnTheTotal() {
    Target cheap = target("any-model", "chat", "0.15", "0.60");
    assertEquals(OptionalLong.of(1), calculator.microDollars(new Usage(1, 0, 1), cheap)); // 0.15 -> 1
    // 0.15 + 0.60 = 0.75 -> 1; rounding each part up would charge 2.
    assertEquals(OptionalLong.of(1), calculator.microDollars(new Usage(1, 1, 2), cheap));
    assertEquals(OptionalLong.of(0), calculator.microDollars(Usage.NONE, cheap));
    // 7 * 0.15 + 3 * 0.60 = 2.85 -> 3
    assertEquals(OptionalLong.of(3), calculator.microDollars(new Usage(7, 3, 10), cheap));
  }

  @Test
  void cachedPromptTokensCostTheCachedPrice() {
    // 600 uncached at 2.50 + 400 cached at 1.25 + 100 completion at 10.00
    assertEquals(1_500 + 500 + 1_000, CostCalculator.microDollars(new Usage(1_000, 100, 1_100, 400), TABLE_PRICE));
  }

  @Test
  void aTargetsOwnPricesHaveNoCacheDiscount() {
    Target priced = target("any-model", "chat", "2.50", "10.00");
    assertEquals(OptionalLong.of(2_500), calculator.microDollars(new Usage(1_000, 0, 1_000, 400), priced));
  }

  @Test
  void cachedTokensBeyondThePromptCountAsThePromptOnly() {
    assertEquals(1_250, CostCalculator.microDollars(new Usage(1_000, 0, 1_000, 5_000), TABLE_PRICE));
  }

  @Test
  void negativeCountsFromAConfusedUpstreamCostNothing() {
    assertEquals(0, CostCalculator.microDollars(new Usage(-5, -5, -10, -1), TABLE_PRICE));
  }

  @Test
  void aTargetWithoutPricesUsesTheTableByModelThenByAlias() {
    assertEquals(Optional.of(TABLE_PRICE), calculator.priceOf(target("listed-model", "listed-alias", "0", "0")));
    assertEquals(
        OptionalLong.of(1_000 + 2_000),
        calculator.microDollars(new Usage(1_000, 1_000, 2_000), target("unlisted-model", "listed-alias", "0", "0")));
  }

  @Test
  void aTargetsOwnPriceWinsOverTheTableEvenWhenOnlyOneIsSet() {
    Target outputOnly = target("listed-model", "chat", "0", "4.00");
    assertEquals(OptionalLong.of(4_000), calculator.microDollars(new Usage(1_000, 1_000, 2_000), outputOnly));
  }

  @Test
  void noPriceAnywhereIsNoCostRatherThanZero() {
    assertEquals(OptionalLong.empty(), calculator.microDollars(new Usage(1_000, 1_000, 2_000), target("unlisted", "chat", "0", "0")));
  }

  @Test
  void theTableIsCopiedWhenTheCalculatorIsBuilt() {
    Map<String, ModelPrice> table = new HashMap<>(Map.of("m", TABLE_PRICE));
    CostCalculator copied = new CostCalculator(table);
    table.clear();
    assertTrue(copied.priceOf(target("m", "chat", "0", "0")).isPresent());
  }

  @Test
  void hugeUsageDoesNotOverflow() {
    ModelPrice dear = new ModelPrice(usd("1000"), usd("1000"));
    assertEquals(1_000_000_000_000_000L, CostCalculator.microDollars(new Usage(1_000_000_000_000L, 0, 0), dear));
    assertEquals(Long.MAX_VALUE, CostCalculator.microDollars(new Usage(Long.MAX_VALUE, Long.MAX_VALUE, 0), dear));
  }

  @Test
  void negativePricesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ModelPrice(usd("-1"), usd("1")));
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  private static Target target(String model, String alias, String in, String out) {
    return new Target(
        "t1", alias, "openai", model, null, Optional.empty(), 1, 1, Duration.ofSeconds(30), true, usd(in), usd(out), Map.of());
  }
}
