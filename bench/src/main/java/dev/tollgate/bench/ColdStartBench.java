package dev.tollgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The proxy Lambda's cold init without SnapStart: starts a new JVM running {@link ColdStartProbe}
 * on the shaded function jar, several times for each set of JVM flags (interleaved), and prints
 * the medians as a markdown table.
 *
 * <p>With {@code --aot-cache FILE} it also trains a JDK 25 AOT cache (JEP 483/514/515) on one
 * probe run and measures with it: not how the managed runtime starts a function today, but the
 * size of what class loading and linking cost.
 *
 * <p>Options: {@code --classpath LAMBDA_JAR:BENCH_JAR --dynamodb-endpoint URL --key KEY [--runs 5
 * --aot-cache FILE]}.
 */
public final class ColdStartBench {

  static final double TARGET_MS = 1500;
  private static final Pattern PROBE =
      Pattern.compile("PROBE jvmStart=(\\d+) main=(\\d+) constructed=(\\d+) answered=(\\d+) status=(\\d+) echoed=(\\w+)");

  /** One way of running the JVM. */
  record Flags(String label, List<String> jvmArgs) {}

  /** The timestamps of one probe run, epoch milliseconds. */
  record Run(long launched, long jvmStart, long main, long constructed, long answered) {
    double toMain() {
      return main - jvmStart;
    }

    double toConstructed() {
      return constructed - jvmStart;
    }

    double toAnswered() {
      return answered - jvmStart;
    }

    double launchToAnswered() {
      return answered - launched;
    }
  }

  static final Flags DEFAULT = new Flags("default flags", List.of());
  static final Flags C1 =
      new Flags("`-XX:+TieredCompilation -XX:TieredStopAtLevel=1`", List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));

  static List<Flags> withAotCache(Path cache) {
    String use = "-XX:AOTCache=" + cache;
    return List.of(
        new Flags("default flags + AOT cache (what-if)", List.of(use)),
        new Flags("C1 only + AOT cache (what-if)", List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", use)));
  }

  private ColdStartBench() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    int runs = args.integer("runs", 5);
    // The deployed function's environment. The credentials are the ones `tollgate dev` itself
    // writes with: DynamoDB Local without -sharedDb keeps one database per access key and region.
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("TOLLGATE_CONFIG_TABLE", "tollgate-config"),
            Map.entry("TOLLGATE_COUNTERS_TABLE", "tollgate-counters"),
            Map.entry("TOLLGATE_AUDIT_TABLE", "tollgate-audit"),
            Map.entry("TOLLGATE_SECRET_PREFIX", "tollgate/"),
            Map.entry("TOLLGATE_DYNAMODB_ENDPOINT", args.text("dynamodb-endpoint")),
            Map.entry("AWS_ACCESS_KEY_ID", "local"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "local"),
            Map.entry("AWS_REGION", "us-east-1"),
            Map.entry("POWERTOOLS_SERVICE_NAME", "tollgate-proxy"),
            Map.entry("POWERTOOLS_METRICS_NAMESPACE", "Tollgate"),
            Map.entry("TOLLGATE_BENCH_KEY", args.text("key")));
    String classpath = args.text("classpath");

    probe(DEFAULT, classpath, env); // discarded: the first launch pays for a cold page cache
    List<Flags> variants = new ArrayList<>(List.of(DEFAULT, C1));
    if (args.values().containsKey("aot-cache")) {
      Path cache = Path.of(args.text("aot-cache")).toAbsolutePath();
      probe(new Flags("AOT cache training", List.of("-XX:AOTCacheOutput=" + cache)), classpath, env);
      variants.addAll(withAotCache(cache));
    }
    Map<Flags, List<Run>> results = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (Flags flags : variants) {
        Run run = probe(flags, classpath, env);
        results.computeIfAbsent(flags, f -> new ArrayList<>()).add(run);
        System.err.printf("  cold start (%s) run %d: JVM start to answer %.0f ms%n", flags.label(), i + 1, run.toAnswered());
      }
    }
    print(results, runs);
  }

  static Run probe(Flags flags, String classpath, Map<String, String> env) throws Exception {
    List<String> command =
        Stream.of(List.of(ChildProcess.javaBinary()), flags.jvmArgs(), List.of("-cp", classpath, ColdStartProbe.class.getName()))
            .flatMap(List::stream)
            .toList();
    try (ChildProcess child = ChildProcess.start(command, env, Path.of("."))) {
      int exit = child.awaitExit(60);
      for (String line : child.lines()) {
        Matcher m = PROBE.matcher(line);
        if (m.find()) {
          if (exit != 0 || !m.group(5).equals("200") || !m.group(6).equals("true")) {
            throw new IllegalStateException("probe answered status " + m.group(5) + ", exit " + exit + ":\n" + child.tail());
          }
          return new Run(child.launchedAtMillis(), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
              Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
        }
      }
      throw new IllegalStateException("probe printed no PROBE line (exit " + exit + "):\n" + child.tail());
    }
  }

  private static void print(Map<Flags, List<Run>> results, int runs) {
    System.out.println("### Lambda cold init without SnapStart (ms, median of " + runs + " new JVMs)");
    System.out.println();
    System.out.println("| JVM flags | JVM start to main | JVM start to handler constructed | JVM start to first answer | process launch to first answer | all runs (JVM start to answer) | target <= 1500 |");
    System.out.println("|---|---:|---:|---:|---:|---|---|");
    results.forEach((flags, list) -> {
      double answered = median(list, Run::toAnswered);
      System.out.printf("| %s | %s | %s | %s | %s | %s | %s |%n", flags.label(),
          Format.whole(median(list, Run::toMain)), Format.whole(median(list, Run::toConstructed)),
          Format.whole(answered), Format.whole(median(list, Run::launchToAnswered)),
          list.stream().map(r -> Format.whole(r.toAnswered())).collect(Collectors.joining(", ")),
          Format.verdict(answered <= TARGET_MS));
    });
    System.out.println();
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> measure) {
    return Sample.ofMillis(runs.stream().mapToDouble(measure).toArray()).median();
  }
}
