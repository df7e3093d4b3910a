package dev.tollgate.proxy;

import dev.tollgate.telemetry.Metrics;
import dev.tollgate.telemetry.RequestMetrics;

/**
 * The metrics port for the streaming function: each data point is written as its own EMF line
 * at once. Behind the Lambda Web Adapter there is no handler call whose end could flush a
 * request's metrics, and a stream's completion metrics arrive after its response has started, so
 * nothing may wait in the buffer for a flush that never comes.
 */
final class FlushingMetrics implements Metrics {

  private final software.amazon.lambda.powertools.metrics.Metrics powertools;
  private final Metrics points;

  FlushingMetrics(software.amazon.lambda.powertools.metrics.Metrics powertools) {
    this.powertools = powertools;
    this.points = new PowertoolsMetrics(powertools);
  }

  // Powertools keeps one buffer per process; a lock keeps concurrent requests' points apart.
  @Override
  public synchronized void count(String name, double value) {
    points.count(name, value);
    powertools.flush();
  }

  @Override
  public synchronized void milliseconds(String name, double value) {
    points.milliseconds(name, value);
    powertools.flush();
  }

  /** Written at once already (its own EMF documents); locked like the rest. */
  @Override
  public synchronized void request(RequestMetrics request) {
    points.request(request);
  }
}
