package dev.tollgate.routing;

import dev.tollgate.limit.CostCalculator;
import dev.tollgate.limit.ModelPrice;
import dev.tollgate.limit.TokenEstimator;
import dev.tollgate.pipeline.Exchange;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a request is expected to cost on each target, in USD: estimated prompt tokens at the input
 * price plus the completion allowance ({@code max_completion_tokens} / {@code max_tokens}, else
 * {@link #DEFAULT_COMPLETION_TOKENS}) at the output price. Prices are the target's own or the
 * price table's; a target with neither has no expected cost. Tokens are counted once, on first use.
 */
public final class ExpectedCost {

  /** The answer length assumed for a request that sets no limit. */
  public static final long DEFAULT_COMPLETION_TOKENS = 256;

  private static final TokenEstimator ESTIMATOR = new TokenEstimator(DEFAULT_COMPLETION_TOKENS);

  private final CostCalculator prices;
  private final Exchange exchange;
  private long promptTokens = -1;
  private long completionTokens = -1;

  public ExpectedCost(Map<String, ModelPrice> priceTable, Exchange exchange) {
    this.prices = new CostCalculator(priceTable);
    this.exchange = exchange;
  }

  /** Fixed token counts (for {@code tollgate status}, which has no request). */
  public static OptionalDouble of(Target target, CostCalculator prices, long promptTokens, long completionTokens) {
    Optional<ModelPrice> price = prices.priceOf(target);
    return price.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(usd(price.get(), promptTokens, completionTokens));
  }

  public OptionalDouble of(Target target) {
    Optional<ModelPrice> price = prices.priceOf(target);
    if (price.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (promptTokens < 0) {
      count();
    }
    return OptionalDouble.of(usd(price.get(), promptTokens, completionTokens));
  }

  private void count() {
    if (exchange.isEmbeddings()) {
      promptTokens = ESTIMATOR.inputTokens(exchange.embeddingsRequest());
      completionTokens = 0;
    } else {
      promptTokens = ESTIMATOR.promptTokens(exchange.chatRequest());
      completionTokens = ESTIMATOR.completionAllowance(exchange.chatRequest());
    }
  }

  private static double usd(ModelPrice price, long prompt, long completion) {
    BigDecimal perMillion =
        price.inputPerMillion().multiply(BigDecimal.valueOf(prompt)).add(price.outputPerMillion().multiply(BigDecimal.valueOf(completion)));
    return perMillion.doubleValue() / 1_000_000;
  }
}
