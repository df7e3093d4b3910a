package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.limit.ModelPrice;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks one model price item ({@code pk = price#MODEL}, {@code sk = price}): the price
 * table entry that {@code costUsd} limits charge a target configured without prices of its own.
 */
final class PriceReader {

  static final String MODEL_EXPECTED =
      "'price#' followed by the upstream model or alias it prices: 1 to 256 characters without control characters, "
          + "not starting with a space";
  /** The same range as a target's own prices, so a price moves between the two unchanged. */
  static final String PRICE_EXPECTED =
      "USD per million tokens, a number from 0 to " + TargetReader.MAX_PRICE.toPlainString();
  private static final Set<String> FIELDS =
      Set.of("inputPerMillion", "outputPerMillion", "cachedInputPerMillion", "description");

  private PriceReader() {}

  /** The model (or alias) an item prices: its partition key after {@code price#}. */
  static String model(ConfigItem item) {
    return item.pk().substring(ItemKeys.PRICE_PREFIX.length());
  }

  static Optional<ModelPrice> read(ConfigItem item, ItemReader reader) {
    if (!TargetReader.MODEL.matcher(model(item)).matches()) {
      reader.failText("pk", item.pk(), MODEL_EXPECTED);
    }
    if (!item.sk().equals(ItemKeys.PRICE_SK)) {
      reader.failItem("sk to be 'price' for a model price item");
    }
    reader.rejectUnknown(FIELDS);
    Optional<BigDecimal> input = price(reader, "inputPerMillion", PRICE_EXPECTED, true);
    Optional<BigDecimal> output = price(reader, "outputPerMillion", PRICE_EXPECTED, true);
    Optional<BigDecimal> cached =
        price(reader, "cachedInputPerMillion", PRICE_EXPECTED + " (leave it out to charge inputPerMillion)", false);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(new ModelPrice(input.orElseThrow(), output.orElseThrow(), cached.orElse(input.orElseThrow())));
  }

  private static Optional<BigDecimal> price(ItemReader reader, String field, String expected, boolean required) {
    if (!required && !reader.has(field)) {
      return Optional.empty();
    }
    Optional<JsonNode> value = reader.number(field, expected);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    // YAML's .inf and .nan are numbers too, but have no decimal value.
    if (value.get().isFloatingPointNumber() && !Double.isFinite(value.get().doubleValue())) {
      reader.fail(field, value.get(), expected);
      return Optional.empty();
    }
    BigDecimal price = value.get().decimalValue();
    if (price.signum() < 0 || price.compareTo(TargetReader.MAX_PRICE) > 0) {
      reader.fail(field, value.get(), expected);
      return Optional.empty();
    }
    return Optional.of(price);
  }
}
