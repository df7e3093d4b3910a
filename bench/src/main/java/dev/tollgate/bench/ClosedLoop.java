package dev.tollgate.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: {@code concurrency} workers each send a request, wait for the whole answer
 * and send the next, until a fixed number of requests is done or the time bound passes.
 *
 * <p>With a rate, the workers are paced: request {@code i} is due at {@code start + i / rate},
 * and its latency counts from when it was due, not from when a busy worker got to send it, so a
 * stall is not hidden (no coordinated omission). Below saturation this measures what each request
 * costs rather than how long it queued for a CPU.
 */
final class ClosedLoop {

  private static final String OVERHEAD_HEADER = "x-tollgate-overhead-ms";

  private final CpuMeter cpuMeter;

  ClosedLoop(CpuMeter cpuMeter) {
    this.cpuMeter = cpuMeter;
  }

  PhaseResult run(LoadTarget target, int concurrency, int requests, Duration maxTime) {
    return run(target, concurrency, requests, maxTime, 0);
  }

  PhaseResult run(LoadTarget target, int concurrency, int requests, Duration maxTime, double ratePerSecond) {
    long[] latencies = new long[requests];
    double[] overheads = new double[requests];
    Arrays.fill(latencies, -1);
    Arrays.fill(overheads, Double.NaN);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();

    Map<String, Duration> cpuBefore = cpuMeter.read();
    long start = System.nanoTime();
    long deadline = start + maxTime.toNanos();
    try (ExecutorService workers = Executors.newFixedThreadPool(concurrency)) {
      for (int w = 0; w < concurrency; w++) {
        workers.execute(() -> {
          while (System.nanoTime() < deadline) {
            int i = next.getAndIncrement();
            if (i >= requests) {
              return;
            }
            long sent = System.nanoTime();
            if (ratePerSecond > 0) {
              long due = start + (long) (i * 1e9 / ratePerSecond);
              if (due > sent) {
                java.util.concurrent.locks.LockSupport.parkNanos(due - sent);
              }
              sent = due;
            }
            try {
              HttpResponse<byte[]> response = target.client().send(target.request(), HttpResponse.BodyHandlers.ofByteArray());
              long took = System.nanoTime() - sent;
              if (response.statusCode() == 200) {
                latencies[i] = took;
                response.headers().firstValue(OVERHEAD_HEADER).ifPresent(v -> overheads[i] = Double.parseDouble(v));
              } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, "HTTP " + response.statusCode() + ": " + new String(response.body()));
              }
            } catch (IOException e) {
              errors.incrementAndGet();
              firstError.compareAndSet(null, e.toString());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        });
      }
    }
    long elapsed = System.nanoTime() - start;
    Map<String, Duration> cpu = CpuMeter.between(cpuBefore, cpuMeter.read());
    return new PhaseResult(
        Arrays.stream(latencies).filter(n -> n >= 0).toArray(),
        Arrays.stream(overheads).filter(v -> !Double.isNaN(v)).toArray(),
        errors.get(),
        Optional.ofNullable(firstError.get()),
        elapsed,
        cpu);
  }
}
