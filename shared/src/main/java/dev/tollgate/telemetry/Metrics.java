package dev.tollgate.telemetry;

/** Where the gateway reports numbers; EMF through Powertools on Lambda, memory in tests. */
public interface Metrics {

  Metrics NONE =
      new Metrics() {
        @Override
        public void count(String name, double value) {}

        @Override
        public void milliseconds(String name, double value) {}
      };

  void count(String name, double value);

  void milliseconds(String name, double value);

  default void increment(String name) {
    count(name, 1);
  }

  /**
   * One finished request, per model, target and consumer. Backends without dimensions ignore it
   * (the gateway-wide totals are reported through {@link #count} as well).
   */
  default void request(RequestMetrics request) {}
}
