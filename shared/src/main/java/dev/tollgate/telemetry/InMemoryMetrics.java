package dev.tollgate.telemetry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/** Sums metrics in memory; for tests and the dev server. */
public final class InMemoryMetrics implements Metrics {

  private final Map<String, DoubleAdder> sums = new ConcurrentHashMap<>();
  private final List<RequestMetrics> requests = new CopyOnWriteArrayList<>();

  @Override
  public void count(String name, double value) {
    sums.computeIfAbsent(name, n -> new DoubleAdder()).add(value);
  }

  @Override
  public void milliseconds(String name, double value) {
    count(name, value);
  }

  @Override
  public void request(RequestMetrics request) {
    requests.add(request);
  }

  /** Every request reported with dimensions, in order. */
  public List<RequestMetrics> requests() {
    return List.copyOf(requests);
  }

  public double sum(String name) {
    DoubleAdder adder = sums.get(name);
    return adder == null ? 0 : adder.sum();
  }
}
