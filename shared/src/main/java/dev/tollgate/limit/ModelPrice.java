package dev.tollgate.limit;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a model charges, in USD per million tokens. {@code cachedInputPerMillion} prices prompt
 * tokens read from the provider's cache; without a price of its own it is the input price.
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {

  public ModelPrice {
    Objects.requireNonNull(inputPerMillion, "inputPerMillion");
    Objects.requireNonNull(outputPerMillion, "outputPerMillion");
    Objects.requireNonNull(cachedInputPerMillion, "cachedInputPerMillion");
    if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0 || cachedInputPerMillion.signum() < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  /** A price with no cache discount. */
  public ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    this(inputPerMillion, outputPerMillion, inputPerMillion);
  }
}
