package dev.tollgate.proxy;

import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import dev.tollgate.telemetry.RequestMetrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The metrics port on Powertools' EMF metrics (functional API, no AspectJ). Gateway-wide numbers
 * go into the invocation's buffer (dimension {@code Service} only); each finished request is also
 * written at once as two EMF documents of its own: one with dimensions {@code Model} and
 * {@code Target}, one with {@code Consumer}. Their values come from config (aliases, target ids,
 * consumer names), never from request text, so the number of series stays bounded by config;
 * splitting the two keeps it a sum (models x targets + consumers), not a product.
 */
final class PowertoolsMetrics implements Metrics {

  static final String MODEL = "Model";
  static final String TARGET = "Target";
  static final String CONSUMER = "Consumer";

  private final software.amazon.lambda.powertools.metrics.Metrics metrics;

  PowertoolsMetrics(software.amazon.lambda.powertools.metrics.Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void count(String name, double value) {
    metrics.addMetric(name, value, MetricUnit.COUNT);
  }

  @Override
  public void milliseconds(String name, double value) {
    metrics.addMetric(name, value, MetricUnit.MILLISECONDS);
  }

  @Override
  public void request(RequestMetrics request) {
    metrics.flushMetrics(m -> {
      m.addDimension(DimensionSet.of(MODEL, request.model(), TARGET, request.target()));
      add(m, request);
    });
    metrics.flushMetrics(m -> {
      m.addDimension(DimensionSet.of(CONSUMER, request.consumer()));
      add(m, request);
    });
  }

  private static void add(software.amazon.lambda.powertools.metrics.Metrics m, RequestMetrics request) {
    m.addMetric(MetricNames.REQUESTS, 1, MetricUnit.COUNT);
    m.addMetric(MetricNames.ERRORS, request.error() ? 1 : 0, MetricUnit.COUNT);
    m.addMetric(MetricNames.TOKENS_IN, request.tokensIn(), MetricUnit.COUNT);
    m.addMetric(MetricNames.TOKENS_OUT, request.tokensOut(), MetricUnit.COUNT);
    m.addMetric(MetricNames.COST_USD, request.costUsd(), MetricUnit.NONE);
    m.addMetric(MetricNames.LATENCY_MS, request.latencyMs(), MetricUnit.MILLISECONDS);
  }
}
