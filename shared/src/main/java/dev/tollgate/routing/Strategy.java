package dev.tollgate.routing;

import java.util.Locale;
import java.util.Optional;

/** How a route shares traffic among the targets of one priority tier. */
public enum Strategy {
  /** By static weight only (the default). */
  WEIGHTED,
  /** The fastest healthy target takes all but the probe share. */
  LATENCY,
  /** The cheapest healthy target for the request's expected tokens takes all but the probe share. */
  COST,
  /** Weight times health, cost and latency factors. */
  BALANCED;

  /** The name in config ({@code weighted}, {@code latency}, ...). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Strategy> parse(String text) {
    for (Strategy strategy : values()) {
      if (strategy.label().equals(text)) {
        return Optional.of(strategy);
      }
    }
    return Optional.empty();
  }
}
