package dev.tollgate.bench;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What limit policies add to a request: the same load (client, body, counts, pacing) through dev
 * servers whose configs differ only in their limits, (a) none, (b) one cluster-mode
 * {@code totalTokens} policy per consumer on a 1m fixed window, optionally (c) three policies,
 * against one mock upstream answering at once. Rounds rotate which server goes first, so drift in
 * the machine's load falls on all alike. Prints markdown tables on standard output.
 *
 * <p>Options: {@code --baseline URL --one URL [--three URL] --key KEY [--pids A,B,C --model bench
 * --concurrency 1,8 --rounds 2 --requests-c1 250 --requests-c8 160 --paced-rate 20
 * --warmup-seconds 10 --warmup 20000 --phase-warmup 30 --max-phase-seconds 20]}; the warm-up runs at
 * the highest level, closed loop, until either bound. {@code --paced-rate R} paces levels above c=1 at R
 * requests/s in all (see {@link ClosedLoop}); it must stay below what the slowest server sustains,
 * or the figures measure queueing instead of a request's cost.
 */
public final class LimitsBench {

  /** One gateway under test; {@code name} keys its CPU reading. */
  private record Variant(String name, String label, LoadTarget target) {}

  private LimitsBench() {}

  public static void main(String[] argv) {
    Args args = Args.parse(argv);
    String key = args.text("key");
    byte[] body = LatencyBench.body(args.text("model", "bench"));
    List<Variant> variants = new ArrayList<>();
    // The same comparison serves other phases (the security policies): --title and --label-a/b/c rename it.
    String title = args.text("title", "Limits");
    variants.add(variant("a", args.text("label-a", "(a) no limit policy"), args.text("baseline"), key, body));
    variants.add(variant("b", args.text("label-b", "(b) one cluster policy: totalTokens per consumer, 1m fixed"), args.text("one"), key, body));
    if (args.values().containsKey("three")) {
      variants.add(variant("c", args.text("label-c", "(c) three cluster policies: (b) + totalTokens 1h sliding + requests 1m"),
          args.text("three"), key, body));
    }
    int[] levels = Arrays.stream(args.text("concurrency", "1,8").split(",")).mapToInt(Integer::parseInt).toArray();
    Map<Integer, Integer> requests = new LinkedHashMap<>();
    for (int c : levels) {
      requests.put(c, args.integer("requests-c" + c, c == 1 ? 250 : 160));
    }
    int rounds = args.integer("rounds", 2);
    int phaseWarmup = args.integer("phase-warmup", 30);
    double pacedRate = args.integer("paced-rate", 20);
    Duration maxPhase = Duration.ofSeconds(args.integer("max-phase-seconds", 20));

    CpuMeter meter = new CpuMeter().addSelf("load generator");
    String[] pids = args.text("pids", "").split(",");
    for (int i = 0; i < variants.size() && i < pids.length; i++) {
      if (!pids[i].isBlank()) {
        meter.add(variants.get(i).name(), Long.parseLong(pids[i].trim()));
      }
    }
    ClosedLoop loop = new ClosedLoop(meter);

    // Warm every JVM on the path (gateway, its DynamoDB Local, the SDK client) before measuring,
    // each for the same time: a count would give the slower servers with limits less JIT warm-up.
    int busiest = Arrays.stream(levels).max().orElse(1);
    Duration warmFor = Duration.ofSeconds(args.integer("warmup-seconds", 10));
    for (Variant variant : variants) {
      PhaseResult warm = loop.run(variant.target(), busiest, args.integer("warmup", 20_000), warmFor);
      progress("warm-up " + variant.label() + ": " + warm.requests() + " ok, " + warm.errors() + " errors");
      if (warm.requests() == 0) {
        throw new IllegalStateException(variant.label() + " answers no request: " + warm.firstError().orElse("?"));
      }
    }

    Map<String, List<PhaseResult>> phases = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int c : levels) {
        double rate = c > 1 ? pacedRate : 0;
        for (Variant variant : rotated(variants, round)) {
          loop.run(variant.target(), c, phaseWarmup, maxPhase, rate);
          PhaseResult result = loop.run(variant.target(), c, requests.get(c), maxPhase, rate);
          phases.computeIfAbsent(variant.name() + "@" + c, k -> new ArrayList<>()).add(result);
          progress("round " + (round + 1) + " c=" + c + " " + variant.name() + ": p50 "
              + Format.ms(result.latency().median()) + " ms, " + result.requests() + " ok, " + result.errors() + " errors");
        }
      }
    }
    Map<String, PhaseResult> merged = new LinkedHashMap<>();
    phases.forEach((k, list) -> merged.put(k, PhaseResult.merge(list)));
    print(System.out, title, variants, merged, levels, rounds, requests, pacedRate);
  }

  private static Variant variant(String name, String label, String url, String key, byte[] body) {
    return new Variant(name, label, LoadTarget.of(name, URI.create(url), key, body));
  }

  /** The variants starting at a different one each round. */
  private static List<Variant> rotated(List<Variant> variants, int round) {
    List<Variant> order = new ArrayList<>(variants);
    java.util.Collections.rotate(order, -(round % variants.size()));
    return order;
  }

  private static void progress(String line) {
    System.err.println("  " + line);
  }

  private static String level(int c, double pacedRate) {
    return c > 1 ? c + ", paced " + (long) pacedRate + "/s" : c + "";
  }

  private static void print(
      PrintStream out, String title, List<Variant> variants, Map<String, PhaseResult> merged, int[] levels, int rounds,
      Map<Integer, Integer> requests, double pacedRate) {
    out.println("### " + title + ": latency seen by the client, mock upstream answering at once (ms)");
    out.println();
    out.printf("%d rounds rotating which gateway goes first; per round, gateway and level, %s requests, each phase after a discarded warm-up. "
            + "Every gateway is `tollgate dev --dynamodb-port`: its counters and audit records are in the DynamoDB Local inside its own JVM, reached over loopback HTTP by the SDK client.%n%n",
        rounds, Arrays.stream(levels).mapToObj(c -> requests.get(c) + " at c=" + level(c, pacedRate)).collect(Collectors.joining(", ")));
    out.println("| gateway config | concurrency | requests | errors | p50 | p90 | p99 | max | req/s |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (int c : levels) {
      for (Variant variant : variants) {
        PhaseResult r = merged.get(variant.name() + "@" + c);
        Sample s = r.latency();
        out.printf("| %s | %s | %d | %d | %s | %s | %s | %s | %s |%n", variant.label(), level(c, pacedRate), r.requests(), r.errors(),
            Format.ms(s.median()), Format.ms(s.percentile(90)), Format.ms(s.percentile(99)), Format.ms(s.max()),
            Format.whole(r.requestsPerSecond()));
      }
    }
    merged.values().stream().flatMap(r -> r.firstError().stream()).findFirst()
        .ifPresent(e -> out.println("\nFirst error: `" + e.replace('\n', ' ') + "`"));

    out.println();
    out.println("### " + title + ": added to a request, against (a) (ms; gateway CPU in microseconds per request)");
    out.println();
    out.println("| gateway config | concurrency | client p50 | client p99 | added p50 | added p99 | `x-tollgate-overhead-ms` p50 | p99 | added p50 | added p99 | gateway CPU per request |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int c : levels) {
      PhaseResult base = merged.get(variants.getFirst().name() + "@" + c);
      for (Variant variant : variants) {
        PhaseResult r = merged.get(variant.name() + "@" + c);
        boolean isBase = r == base;
        out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", variant.label(), level(c, pacedRate),
            Format.ms(r.latency().median()), Format.ms(r.latency().percentile(99)),
            isBase ? "" : Format.signedMs(r.latency().median() - base.latency().median()),
            isBase ? "" : Format.signedMs(r.latency().percentile(99) - base.latency().percentile(99)),
            Format.ms(r.overhead().median()), Format.ms(r.overhead().percentile(99)),
            isBase ? "" : Format.signedMs(r.overhead().median() - base.overhead().median()),
            isBase ? "" : Format.signedMs(r.overhead().percentile(99) - base.overhead().percentile(99)),
            Format.whole(r.cpuMicrosPerRequest().getOrDefault(variant.name(), Double.NaN)));
      }
    }
    out.println();
    out.println("*Added* is a difference of percentiles, not a percentile of differences. Gateway CPU is the whole dev server"
        + " process, so it includes the DynamoDB Local that serves its counters and audit table.");
    out.println();
  }
}
