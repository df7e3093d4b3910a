package dev.tollgate.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's added latency and throughput: the same load (same client, body, request count and
 * concurrency) against the mock upstream directly and through the gateway, alternating the two in
 * rounds so that background noise falls on both alike. Prints markdown tables on standard output.
 *
 * <p>Options: {@code --direct URL --gateway URL --key KEY [--gateway-pid P --upstream-pid P]
 * [--rounds 3 --requests-c1 3000 --requests-c32 12000 --warmup 15000 --phase-warmup 500
 * --max-phase-seconds 30]}.
 */
public final class LatencyBench {

  /** The one request body both paths get: a short chat turn, as a typical small completion. */
  static final byte[] BODY =
      ("{\"model\":\"bench\",\"max_tokens\":64,\"temperature\":0,\"messages\":["
              + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
              + "{\"role\":\"user\",\"content\":\"Reply with one short sentence about toll gates.\"}]}")
          .getBytes(StandardCharsets.UTF_8);

  static final double TARGET_ADDED_P50_MS = 1.0;
  static final double TARGET_ADDED_P99_MS = 5.0;
  private static final int[] CONCURRENCY = {1, 32};

  private LatencyBench() {}

  public static void main(String[] argv) {
    Args args = Args.parse(argv);
    String key = args.text("key");
    LoadTarget direct = LoadTarget.of("direct", URI.create(args.text("direct")), key, BODY);
    LoadTarget gateway = LoadTarget.of("gateway", URI.create(args.text("gateway")), key, BODY);
    int rounds = args.integer("rounds", 3);
    Map<Integer, Integer> requests = Map.of(1, args.integer("requests-c1", 3000), 32, args.integer("requests-c32", 12000));
    int phaseWarmup = args.integer("phase-warmup", 500);
    Duration maxPhase = Duration.ofSeconds(args.integer("max-phase-seconds", 30));
    CpuMeter meter =
        new CpuMeter()
            .addSelf("load generator")
            .add("gateway", args.pid("gateway-pid"))
            .add("upstream", args.pid("upstream-pid"));
    ClosedLoop loop = new ClosedLoop(meter);

    for (LoadTarget target : List.of(direct, gateway)) {
      PhaseResult warm = loop.run(target, 32, args.integer("warmup", 15000), maxPhase);
      progress("warm-up " + target.name() + ": " + warm.requests() + " ok, " + warm.errors() + " errors");
      if (warm.requests() == 0) {
        throw new IllegalStateException(target.name() + " answers no request: " + warm.firstError().orElse("?"));
      }
    }

    Map<String, List<PhaseResult>> phases = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int c : CONCURRENCY) {
        // Alternate which path goes first, so a drift in machine load does not favour one of them.
        List<LoadTarget> order = round % 2 == 0 ? List.of(direct, gateway) : List.of(gateway, direct);
        for (LoadTarget target : order) {
          loop.run(target, c, phaseWarmup, maxPhase);
          PhaseResult result = loop.run(target, c, requests.get(c), maxPhase);
          phases.computeIfAbsent(key(target, c), k -> new ArrayList<>()).add(result);
          progress("round " + (round + 1) + " c=" + c + " " + target.name() + ": p50 "
              + Format.ms(result.latency().median()) + " ms, " + Format.whole(result.requestsPerSecond()) + " req/s");
        }
      }
    }
    Map<String, PhaseResult> merged = new LinkedHashMap<>();
    phases.forEach((k, list) -> merged.put(k, PhaseResult.merge(list)));
    print(System.out, merged, rounds, requests, meter.read().keySet().size());
  }

  private static String key(LoadTarget target, int concurrency) {
    return target.name() + "@" + concurrency;
  }

  private static void progress(String line) {
    System.err.println("  " + line);
  }

  private static void print(PrintStream out, Map<String, PhaseResult> merged, int rounds, Map<Integer, Integer> requests, int meters) {
    out.println("### Latency seen by the client (ms)");
    out.println();
    out.printf("%d alternating rounds; per round and path %d requests at c=1 and %d at c=32, each after a discarded warm-up.%n%n",
        rounds, requests.get(1), requests.get(32));
    out.println("| path | concurrency | requests | errors | p50 | p90 | p99 | p99.9 | max | req/s |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int c : CONCURRENCY) {
      for (String path : List.of("direct", "gateway")) {
        PhaseResult r = merged.get(path + "@" + c);
        Sample s = r.latency();
        out.printf("| %s | %d | %d | %d | %s | %s | %s | %s | %s | %s |%n",
            path.equals("direct") ? "direct to mock upstream" : "through gateway", c, r.requests(), r.errors(),
            Format.ms(s.median()), Format.ms(s.percentile(90)), Format.ms(s.percentile(99)),
            Format.ms(s.percentile(99.9)), Format.ms(s.max()), Format.whole(r.requestsPerSecond()));
      }
    }
    merged.values().stream().flatMap(r -> r.firstError().stream()).findFirst()
        .ifPresent(e -> out.println("\nFirst error: `" + e.replace('\n', ' ') + "`"));

    out.println();
    out.println("### Added by the gateway (ms)");
    out.println();
    out.println("| concurrency | added p50 | added p99 | `x-tollgate-overhead-ms` p50 | p99 | p99.9 | target (c=32: added p50 <= 1, p99 <= 5) |");
    out.println("|---:|---:|---:|---:|---:|---:|---|");
    for (int c : CONCURRENCY) {
      Sample direct = merged.get("direct@" + c).latency();
      Sample gateway = merged.get("gateway@" + c).latency();
      Sample overhead = merged.get("gateway@" + c).overhead();
      double addedP50 = gateway.median() - direct.median();
      double addedP99 = gateway.percentile(99) - direct.percentile(99);
      String verdict =
          c == 32
              ? "p50 " + Format.verdict(addedP50 <= TARGET_ADDED_P50_MS) + ", p99 " + Format.verdict(addedP99 <= TARGET_ADDED_P99_MS)
              : "(no target)";
      out.printf("| %d | %s | %s | %s | %s | %s | %s |%n", c, Format.signedMs(addedP50), Format.signedMs(addedP99),
          Format.ms(overhead.median()), Format.ms(overhead.percentile(99)), Format.ms(overhead.percentile(99.9)), verdict);
    }

    if (meters > 1) {
      out.println();
      out.println("### CPU time per request (microseconds, from /proc, all processes on this machine's 2 cores)");
      out.println();
      out.println("| path | concurrency | load generator | gateway | mock upstream | sum |");
      out.println("|---|---:|---:|---:|---:|---:|");
      for (int c : CONCURRENCY) {
        for (String path : List.of("direct", "gateway")) {
          Map<String, Double> cpu = merged.get(path + "@" + c).cpuMicrosPerRequest();
          double sum = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
          out.printf("| %s | %d | %s | %s | %s | %s |%n", path, c,
              Format.whole(cpu.getOrDefault("load generator", Double.NaN)),
              Format.whole(cpu.getOrDefault("gateway", Double.NaN)),
              Format.whole(cpu.getOrDefault("upstream", Double.NaN)), Format.whole(sum));
        }
      }
    }
    out.println();
  }
}
