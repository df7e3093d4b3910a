package dev.tollgate.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time used by the processes on the request path (the load generator itself, the gateway,
 * the upstream) between two readings: on a 2-core machine it tells which process a request's
 * cost goes to. Linux reports it in scheduler ticks (10 ms), fine over phases of seconds.
 */
final class CpuMeter {

  private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();

  CpuMeter add(String name, long pid) {
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(handle -> processes.put(name, handle));
    }
    return this;
  }

  CpuMeter addSelf(String name) {
    processes.put(name, ProcessHandle.current());
    return this;
  }

  /** CPU time used so far by each process; a process that has no reading is left out. */
  Map<String, Duration> read() {
    Map<String, Duration> reading = new LinkedHashMap<>();
    processes.forEach((name, handle) -> cpu(handle).ifPresent(cpu -> reading.put(name, cpu)));
    return reading;
  }

  static Map<String, Duration> between(Map<String, Duration> before, Map<String, Duration> after) {
    Map<String, Duration> used = new LinkedHashMap<>();
    after.forEach((name, total) -> {
      if (before.containsKey(name)) {
        used.put(name, total.minus(before.get(name)));
      }
    });
    return used;
  }

  private static Optional<Duration> cpu(ProcessHandle handle) {
    return handle.info().totalCpuDuration();
  }
}
