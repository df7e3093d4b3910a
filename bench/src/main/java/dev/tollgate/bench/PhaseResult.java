package dev.tollgate.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * What one measured phase (or several merged) produced: the latency of every successful request,
 * the gateway's own {@code x-tollgate-overhead-ms} where the answer carried it, failures, wall
 * time and the CPU each process used.
 */
record PhaseResult(
    long[] latencyNanos,
    double[] overheadMillis,
    int errors,
    Optional<String> firstError,
    long elapsedNanos,
    Map<String, Duration> cpu) {

  int requests() {
    return latencyNanos.length;
  }

  double requestsPerSecond() {
    return elapsedNanos == 0 ? Double.NaN : (requests() + errors) * 1e9 / elapsedNanos;
  }

  Sample latency() {
    return Sample.ofNanos(latencyNanos);
  }

  Sample overhead() {
    return Sample.ofMillis(overheadMillis);
  }

  /** CPU microseconds per request for each measured process. */
  Map<String, Double> cpuMicrosPerRequest() {
    Map<String, Double> perRequest = new LinkedHashMap<>();
    int count = requests() + errors;
    cpu.forEach((name, used) -> perRequest.put(name, count == 0 ? Double.NaN : used.toNanos() / 1000.0 / count));
    return perRequest;
  }

  static PhaseResult merge(List<PhaseResult> phases) {
    long[] latencies = phases.stream().flatMapToLong(p -> LongStream.of(p.latencyNanos)).toArray();
    double[] overheads = phases.stream().flatMapToDouble(p -> Arrays.stream(p.overheadMillis)).toArray();
    int errors = phases.stream().mapToInt(PhaseResult::errors).sum();
    Optional<String> firstError = phases.stream().flatMap(p -> p.firstError.stream()).findFirst();
    long elapsed = phases.stream().mapToLong(PhaseResult::elapsedNanos).sum();
    Map<String, Duration> cpu = new LinkedHashMap<>();
    phases.forEach(p -> p.cpu.forEach((name, used) -> cpu.merge(name, used, Duration::plus)));
    return new PhaseResult(latencies, overheads, errors, firstError, elapsed, cpu);
  }
}
