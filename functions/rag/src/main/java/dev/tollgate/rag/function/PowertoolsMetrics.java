package dev.tollgate.rag.function;

import dev.tollgate.telemetry.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** The metrics port on Powertools' EMF metrics (functional API, no AspectJ). */
final class PowertoolsMetrics implements Metrics {

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
}
