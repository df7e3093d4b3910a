package dev.tollgate.limit;

import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The USD cost of a call in micro-dollars (millionths of a dollar), from the target's own prices
 * or, for a target configured without prices, from a per-model price table.
 *
 * <p>A price per million tokens times a token count is the cost in micro-dollars, so the sum is
 * exact; it is rounded up once, at the end, to a whole micro-dollar: a budget never loses the
 * fractions of many small calls. Cached prompt tokens are charged at the cached price, which the
 * target's own prices do not have, so there they cost the full input price.
 */
public final class CostCalculator {

  private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private final Map<String, ModelPrice> priceTable;

  /**
   * @param priceTable prices by model name, for targets without prices of their own; looked up by
   *     the target's upstream model, then by its alias
   */
  public CostCalculator(Map<String, ModelPrice> priceTable) {
    this.priceTable = Map.copyOf(priceTable);
  }

  /**
   * The price a target charges: its own when either of its prices is set (config leaves an unset
   * price at zero), else the table's entry for its model or alias, else none.
   */
  public Optional<ModelPrice> priceOf(Target target) {
    BigDecimal in = target.priceInputPerMillion();
    BigDecimal out = target.priceOutputPerMillion();
    if ((in != null && in.signum() > 0) || (out != null && out.signum() > 0)) {
      return Optional.of(new ModelPrice(orZero(in), orZero(out)));
    }
    ModelPrice listed = priceTable.get(target.model());
    return Optional.ofNullable(listed != null ? listed : priceTable.get(target.alias()));
  }

  /** The cost of {@code usage} on {@code target} in micro-dollars; empty when no price is known. */
  public OptionalLong microDollars(Usage usage, Target target) {
    return priceOf(target).map(price -> OptionalLong.of(microDollars(usage, price))).orElse(OptionalLong.empty());
  }

  /** The cost of {@code usage} at {@code price} in micro-dollars, rounded up. */
  public static long microDollars(Usage usage, ModelPrice price) {
    long prompt = Math.max(0, usage.promptTokens());
    long cached = Math.clamp(usage.cachedTokens(), 0, prompt); // cached tokens are part of the prompt
    long completion = Math.max(0, usage.completionTokens());
    BigDecimal cost =
        price.inputPerMillion().multiply(BigDecimal.valueOf(prompt - cached))
            .add(price.cachedInputPerMillion().multiply(BigDecimal.valueOf(cached)))
            .add(price.outputPerMillion().multiply(BigDecimal.valueOf(completion)))
            .setScale(0, RoundingMode.CEILING);
    return cost.min(MAX).longValueExact();
  }

  private static BigDecimal orZero(BigDecimal price) {
    return price == null ? BigDecimal.ZERO : price;
  }
}
