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
}
