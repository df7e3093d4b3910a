package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The name under which {@link #read} reports the busy CPU time of the whole machine. */
  static final String MACHINE = "machine";

  /** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream build. */
  private static final Duration TICK = Duration.ofMillis(10);

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

  /**
   * CPU time used so far by each process, and by the whole machine under {@link #MACHINE} (so
   * what other processes took meanwhile shows); a process that has no reading is left out.
   */
  Map<String, Duration> read() {
    Map<String, Duration> reading = new LinkedHashMap<>();
    processes.forEach((name, handle) -> cpu(handle).ifPresent(cpu -> reading.put(name, cpu)));
    machineBusy().ifPresent(busy -> reading.put(MACHINE, busy));
    return reading;
  }

  /** Busy time of all CPUs together from the first line of /proc/stat (everything but idle and iowait). */
  private static Optional<Duration> machineBusy() {
    try (var lines = Files.lines(Path.of("/proc/stat"))) {
      String[] f = lines.findFirst().orElse("").trim().split("\\s+");
      if (f.length < 9 || !f[0].equals("cpu")) {
        return Optional.empty();
      }
      long ticks = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
        ticks += Long.parseLong(f[i]);
      }
      return Optional.of(TICK.multipliedBy(ticks));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
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
