package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.openAi;
import static dev.tollgate.config.Validation.validate;
import static dev.tollgate.testing.ConfigItems.price;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.Json;
import dev.tollgate.limit.CostCalculator;
import dev.tollgate.limit.ModelPrice;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.ConfigItems;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Model price items: every field read, defaulted or refused with a precise error; a bad price is left out whole. */
class PriceReaderTest {

  private static final String PRICE_EXPECTED = "expected USD per million tokens, a number from 0 to 100000";

  /** The smallest valid price: 2.5 in, 10 out. */
  private static ConfigItems.Builder minimal(String model) {
    return price(model).with("inputPerMillion", 2.5).with("outputPerMillion", 10);
  }

  private static ModelPrice onlyPrice(String model, ConfigItem... items) {
    ValidatedConfig validated = validate(items);
    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().prices().size(), validated.config().prices().toString());
    return validated.config().prices().get(model);
  }

  /** Compares by value: 2.5 and 2.50 are the same price. */
  private static void assertPrice(String input, String output, String cached, ModelPrice actual) {
    String shown = actual.toString();
    assertEquals(0, new BigDecimal(input).compareTo(actual.inputPerMillion()), shown);
    assertEquals(0, new BigDecimal(output).compareTo(actual.outputPerMillion()), shown);
    assertEquals(0, new BigDecimal(cached).compareTo(actual.cachedInputPerMillion()), shown);
  }

  @Test
  void withoutACachedPriceCachedTokensCostTheInputPrice() {
    assertPrice("2.5", "10", "2.5", onlyPrice("gpt-4o", minimal("gpt-4o").build()));
  }

  @Test
  void everyFieldIsRead() {
    ConfigItem item =
        minimal("gpt-4o").with("cachedInputPerMillion", 1.25).with("description", "OpenAI list price, 2024-11").build();

    assertPrice("2.5", "10", "1.25", onlyPrice("gpt-4o", item));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gpt-4o",
        "anthropic.claude-3-5-sonnet-20241022-v2:0",
        "deepseek-ai/DeepSeek-V3",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
        "llama3.1:8b",
        "models/gemini-1.5-pro",
        "my deployment",
        "chat"
      })
  void anyNameATargetModelOrAliasMayHaveIsAccepted(String model) {
    assertPrice("2.5", "10", "2.5", onlyPrice(model, minimal(model).build()));
  }

  @Test
  void aModelNameMayBe256CharactersLong() {
    String model = "m".repeat(256);

    assertPrice("2.5", "10", "2.5", onlyPrice(model, minimal(model).build()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " gpt-4o", "\tgpt-4o", "gpt-\n4o", "gpt-4o\u0000"})
  void aBlankOrControlCharacterModelNameIsRefused(String model) {
    ConfigError error =
        onlyError(minimal(model).build(), "pk",
            "expected 'price#' followed by the upstream model or alias it prices: 1 to 256 characters without control "
                + "characters, not starting with a space");
    assertTrue(error.value().startsWith("\"price#"), error.value());
  }

  @Test
  void aModelNameOfMoreThan256CharactersIsRefused() {
    onlyError(minimal("m".repeat(257)).build(), "pk", "expected 'price#' followed by the upstream model or alias");
  }

  @Test
  void aPriceItemNeedsThePriceSortKey() {
    ConfigItem item = ConfigItems.item("price#gpt-4o", "prices").with("inputPerMillion", 1).with("outputPerMillion", 2).build();

    onlyError(item, null, "expected sk to be 'price' for a model price item");
  }

  @Test
  void inputAndOutputPricesAreRequired() {
    onlyError(minimal("m").without("inputPerMillion").build(), "inputPerMillion",
        "inputPerMillion is missing: " + PRICE_EXPECTED);
    onlyError(minimal("m").without("outputPerMillion").build(), "outputPerMillion",
        "outputPerMillion is missing: " + PRICE_EXPECTED);
    onlyError(minimal("m").with("outputPerMillion", null).build(), "outputPerMillion", "outputPerMillion is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "-0.01", "100000.01", "1e6", "\"2.5\"", "true", "[1]", "{}"})
  void aPriceIsANumberFromZeroTo100000(String value) {
    for (String field : List.of("inputPerMillion", "outputPerMillion", "cachedInputPerMillion")) {
      ConfigError error = onlyError(minimal("m").with(field, Json.parse(value)).build(), field, PRICE_EXPECTED);
      assertEquals(Json.parse(value).toString(), error.value());
    }
  }

  @Test
  void theRangeIsTheOneOfATargetsOwnPricesWithoutADecimalLimit() {
    assertPrice("0", "100000", "0", onlyPrice("m", price("m").with("inputPerMillion", 0).with("outputPerMillion", 100000).build()));
    assertPrice("0.0000001", "0.15", "0.0000001",
        onlyPrice("m", minimal("m").with("inputPerMillion", new BigDecimal("0.0000001")).with("outputPerMillion", 0.15).build()));
    onlyError(openAi("t").with("priceInputPerMillion", 100000.01).build(), "priceInputPerMillion",
        "expected a number from 0 to 100000");
  }

  @Test
  void infinityAndNotANumberAreRefusedNotACrash() {
    // What YAML's .inf and .nan parse to; Jackson shows them quoted.
    var nodes = Json.mapper().getNodeFactory();
    onlyError(minimal("m").with("inputPerMillion", nodes.numberNode(Double.POSITIVE_INFINITY)).build(), "inputPerMillion",
        "inputPerMillion = \"Infinity\": " + PRICE_EXPECTED);
    onlyError(minimal("m").with("cachedInputPerMillion", nodes.numberNode(Double.NaN)).build(), "cachedInputPerMillion",
        "cachedInputPerMillion = \"NaN\": " + PRICE_EXPECTED);
  }

  @Test
  void aCachedPriceMayBeLeftOutOrNullAndSaysSoWhenWrong() {
    assertPrice("2.5", "10", "2.5", onlyPrice("m", minimal("m").with("cachedInputPerMillion", null).build()));
    assertPrice("2.5", "10", "0", onlyPrice("m", minimal("m").with("cachedInputPerMillion", 0).build()));
    onlyError(minimal("m").with("cachedInputPerMillion", -1).build(), "cachedInputPerMillion",
        "cachedInputPerMillion = -1: " + PRICE_EXPECTED + " (leave it out to charge inputPerMillion)");
  }

  @Test
  void theDescriptionIsShortText() {
    onlyPrice("m", minimal("m").with("description", "d".repeat(512)).build());
    onlyError(minimal("m").with("description", "d".repeat(513)).build(), "description", "expected text of up to 512 characters");
    onlyError(minimal("m").with("description", 5).build(), "description", "description = 5: expected text of up to 512");
  }

  @Test
  void anUnknownFieldIsRefused() {
    onlyError(minimal("m").with("priceInputPerMillion", 2.5).build(), "priceInputPerMillion",
        "priceInputPerMillion = 2.5: expected no such field; allowed: cachedInputPerMillion, description, inputPerMillion, "
            + "outputPerMillion");
  }

  @Test
  void aBadPriceIsLeftOutWholeAndCountedOnceWhileItsSiblingsStay() {
    ConfigItem bad = minimal("bad").with("inputPerMillion", -1).without("outputPerMillion").with("cached", 1).build();

    ValidatedConfig validated = validate(bad, minimal("good").build());

    assertEquals(List.of("cached", "inputPerMillion", "outputPerMillion"),
        validated.errors().stream().map(ConfigError::field).toList());
    assertEquals(1, validated.rejectedItems());
    assertEquals(List.of("good"), List.copyOf(validated.config().prices().keySet()));
  }

  @Test
  void aPriceNeedsNoTargetAndATargetNeedsNoPrice() {
    ValidatedConfig validated = validate(minimal("unused-model").build(), openAi("t").build());

    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().prices().size());
    assertEquals(1, validated.config().route("chat").orElseThrow().targets().size());
  }

  @Test
  void theLoadedTableChargesATargetWithoutPricesByItsModelThenItsAlias() {
    ValidatedConfig validated =
        validate(
            openAi("no-prices").build(),
            openAi("own-prices").with("priceInputPerMillion", 0.15).with("priceOutputPerMillion", 0.6).build(),
            minimal("gpt-4o-mini").with("cachedInputPerMillion", 1.25).build(),
            price("chat").with("inputPerMillion", 1).with("outputPerMillion", 1).build());
    assertEquals(List.of(), validated.errors());
    CostCalculator costs = new CostCalculator(validated.config().prices());
    List<Target> targets = validated.config().route("chat").orElseThrow().targets();
    Target noPrices = targets.stream().filter(t -> t.id().equals("no-prices")).findFirst().orElseThrow();
    Target ownPrices = targets.stream().filter(t -> t.id().equals("own-prices")).findFirst().orElseThrow();

    assertPrice("2.5", "10", "1.25", costs.priceOf(noPrices).orElseThrow());
    assertPrice("0.15", "0.6", "0.15", costs.priceOf(ownPrices).orElseThrow());

    CostCalculator aliasOnly = new CostCalculator(Map.of("chat", validated.config().prices().get("chat")));
    assertPrice("1", "1", "1", aliasOnly.priceOf(noPrices).orElseThrow());
    assertEquals(Optional.empty(), new CostCalculator(Map.of()).priceOf(noPrices));
  }

  @Test
  void theEarlierConstructorsHaveAnEmptyAndImmutablePriceTable() {
    GatewayConfig four = new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), Instant.EPOCH);
    GatewayConfig five = new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), List.of(), Instant.EPOCH);

    assertEquals(Map.of(), four.prices());
    assertEquals(Map.of(), five.prices());
    ModelPrice price = new ModelPrice(BigDecimal.ONE, BigDecimal.TWO);
    GatewayConfig six = new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), List.of(), Map.of("m", price), Instant.EPOCH);
    assertEquals(Map.of("m", price), six.prices());
    assertThrows(UnsupportedOperationException.class, () -> six.prices().put("n", price));
  }

  @Test
  void anUnknownPartitionKeyNamesThePriceLayoutToo() {
    onlyError(ConfigItems.item("prices#gpt-4o", "price").build(), null, "'price#<model>'");
  }
}
