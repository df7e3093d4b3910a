package dev.tollgate.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The gateway's added latency and throughput: the same load (same client, body, request count and
 * concurrency) against the mock upstream directly and through the gateway, alternating the two in
 * rounds so that background noise falls on both alike. Prints markdown tables on standard output.
 *
 * <p>Options: {@code --direct URL --gateway URL --key KEY [--model bench --concurrency 1,32
 * --gateway-pid P --upstream-pid P --rounds 3 --requests-c1 3000 --requests-c32 12000
 * --warmup 15000 --phase-warmup 500 --max-phase-seconds 30 --rate 0 --title TEXT]}; {@code --rate R}
 * paces the load at R requests/s in all (see {@link ClosedLoop}).
 */
public final class LatencyBench {

  /** The one request body both paths get: a short chat turn, as a typical small completion. */
  static byte[] body(String model) {
    return ("{\"model\":\"" + model + "\",\"max_tokens\":64,\"temperature\":0,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
            + "{\"role\":\"user\",\"content\":\"Reply with one short sentence about toll gates.\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static final double TARGET_ADDED_P50_MS = 1.0;
  static final double TARGET_ADDED_P99_MS = 5.0;

  private LatencyBench() {}

  public static void main(String[] argv) {
    Args args = Args.parse(argv);
    String key = args.text("key");
    byte[] body = body(args.text("model", "bench"));
    LoadTarget direct = LoadTarget.of("direct", URI.create(args.text("direct")), key, body);
    LoadTarget gateway = LoadTarget.of("gateway", URI.create(args.text("gateway")), key, body);
    int[] levels = Arrays.stream(args.text("concurrency", "1,32").split(",")).mapToInt(Integer::parseInt).toArray();
    int rounds = args.integer("rounds", 3);
    Map<Integer, Integer> requests = new LinkedHashMap<>();
    for (int c : levels) {
      requests.put(c, args.integer("requests-c" + c, c == 1 ? 3000 : 12000));
    }
    int phaseWarmup = args.integer("phase-warmup", 500);
    double rate = args.integer("rate", 0);
    Duration maxPhase = Duration.ofSeconds(args.integer("max-phase-seconds", 30));
    CpuMeter meter =
        new CpuMeter()
            .addSelf("load generator")
            .add("gateway", args.pid("gateway-pid"))
            .add("upstream", args.pid("upstream-pid"));
    ClosedLoop loop = new ClosedLoop(meter);

    int busiest = Arrays.stream(levels).max().orElse(1);
    for (LoadTarget target : List.of(direct, gateway)) {
      PhaseResult warm = loop.run(target, busiest, args.integer("warmup", 15000), maxPhase);
      progress("warm-up " + target.name() + ": " + warm.requests() + " ok, " + warm.errors() + " errors");
      if (warm.requests() == 0) {
        throw new IllegalStateException(target.name() + " answers no request: " + warm.firstError().orElse("?"));
      }
    }

    Map<String, List<PhaseResult>> phases = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int c : levels) {
        // Alternate which path goes first, so a drift in machine load does not favour one of them.
        List<LoadTarget> order = round % 2 == 0 ? List.of(direct, gateway) : List.of(gateway, direct);
        for (LoadTarget target : order) {
          loop.run(target, c, phaseWarmup, maxPhase, rate);
          PhaseResult result = loop.run(target, c, requests.get(c), maxPhase, rate);
          phases.computeIfAbsent(key(target, c), k -> new ArrayList<>()).add(result);
          progress("round " + (round + 1) + " c=" + c + " " + target.name() + ": p50 "
              + Format.ms(result.latency().median()) + " ms, " + Format.whole(result.requestsPerSecond()) + " req/s");
        }
      }
    }
    Map<String, PhaseResult> merged = new LinkedHashMap<>();
    phases.forEach((k, list) -> merged.put(k, PhaseResult.merge(list)));
    String title = args.text("title", "Latency seen by the client");
    if (rate > 0) {
      title += ", paced at " + (long) rate + " requests/s";
    }
    print(System.out, title, merged, levels, rounds, requests, meter.read().size());
  }

  private static String key(LoadTarget target, int concurrency) {
    return target.name() + "@" + concurrency;
  }

  private static void progress(String line) {
    System.err.println("  " + line);
  }

  private static void print(
      PrintStream out, String title, Map<String, PhaseResult> merged, int[] levels, int rounds, Map<Integer, Integer> requests, int meters) {
    out.println("### " + title + " (ms)");
    out.println();
    out.printf("%d alternating rounds; per round, path and concurrency level, %s requests, each phase after a discarded warm-up.%n%n",
        rounds, Arrays.stream(levels).mapToObj(c -> requests.get(c) + " at c=" + c).collect(Collectors.joining(", ")));
    out.println("| path | concurrency | requests | errors | p50 | p90 | p99 | p99.9 | max | req/s |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int c : levels) {
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
    for (int c : levels) {
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
      out.println("### CPU time per request (microseconds; processes from /proc/PID, the rest of the machine from /proc/stat)");
      out.println();
      out.println("| path | concurrency | load generator | gateway | mock upstream | other processes | machine total |");
      out.println("|---|---:|---:|---:|---:|---:|---:|");
      for (int c : levels) {
        for (String path : List.of("direct", "gateway")) {
          Map<String, Double> cpu = merged.get(path + "@" + c).cpuMicrosPerRequest();
          double machine = cpu.getOrDefault(CpuMeter.MACHINE, Double.NaN);
          double ours = cpu.entrySet().stream().filter(e -> !e.getKey().equals(CpuMeter.MACHINE)).mapToDouble(Map.Entry::getValue).sum();
          out.printf("| %s | %d | %s | %s | %s | %s | %s |%n", path, c,
              Format.whole(cpu.getOrDefault("load generator", Double.NaN)),
              Format.whole(cpu.getOrDefault("gateway", Double.NaN)),
              Format.whole(cpu.getOrDefault("upstream", Double.NaN)),
              Format.whole(Math.max(0, machine - ours)), Format.whole(machine));
        }
      }
    }
    out.println();
  }
}
