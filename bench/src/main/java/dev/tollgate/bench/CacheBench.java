package dev.tollgate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * What the response cache saves: the same request through the same gateway, answered by the
 * upstream (the client sends {@code Cache-Control: no-store}, so the cache neither reads nor
 * writes) and from the cache (a warm exact hit), alternating in rounds. Prints a markdown table.
 *
 * <p>Options: {@code --gateway URL --key KEY [--model bench-slow --concurrency 1,8 --rounds 3
 * --requests 1000 --warmup 2000 --max-phase-seconds 30]}; the gateway's config must cache the model.
 */
public final class CacheBench {

  private CacheBench() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    URI url = URI.create(args.text("gateway"));
    String key = args.text("key");
    String model = args.text("model", "bench-slow");
    byte[] body = LatencyBench.body(model);
    LoadTarget hit = LoadTarget.of("cache hit", url, key, body);
    LoadTarget upstream = withHeader(LoadTarget.of("upstream call", url, key, body), "cache-control", "no-store");
    String first = status(hit);
    String second = status(hit);
    if (!second.equals("hit")) {
      throw new IllegalStateException("the gateway does not cache " + model + ": x-tollgate-cache " + first + ", then " + second);
    }
    int[] levels = Arrays.stream(args.text("concurrency", "1,8").split(",")).mapToInt(Integer::parseInt).toArray();
    int rounds = args.integer("rounds", 3);
    int requests = args.integer("requests", 1000);
    Duration maxPhase = Duration.ofSeconds(args.integer("max-phase-seconds", 30));
    ClosedLoop loop = new ClosedLoop(new CpuMeter().addSelf("load generator"));
    for (LoadTarget target : List.of(upstream, hit)) {
      loop.run(target, 8, args.integer("warmup", 2000), maxPhase);
    }
    Map<String, List<PhaseResult>> phases = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int c : levels) {
        List<LoadTarget> order = round % 2 == 0 ? List.of(upstream, hit) : List.of(hit, upstream);
        for (LoadTarget target : order) {
          PhaseResult result = loop.run(target, c, requests, maxPhase);
          phases.computeIfAbsent(target.name() + "@" + c, k -> new ArrayList<>()).add(result);
          System.err.println("  round " + (round + 1) + " c=" + c + " " + target.name() + ": p50 "
              + Format.ms(result.latency().median()) + " ms");
        }
      }
    }
    System.out.println("### Response cache: a hit against an upstream call, through the gateway (ms)");
    System.out.println();
    System.out.printf("Model `%s`; %d alternating rounds of %d requests per path and concurrency level.%n%n", model, rounds, requests);
    System.out.println("| path | concurrency | requests | errors | p50 | p90 | p99 | max | req/s |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int c : levels) {
      for (LoadTarget target : List.of(upstream, hit)) {
        PhaseResult r = PhaseResult.merge(phases.get(target.name() + "@" + c));
        Sample s = r.latency();
        System.out.printf("| %s | %d | %d | %d | %s | %s | %s | %s | %s |%n", target.name(), c, r.requests(), r.errors(),
            Format.ms(s.median()), Format.ms(s.percentile(90)), Format.ms(s.percentile(99)), Format.ms(s.max()),
            Format.whole(r.requestsPerSecond()));
      }
    }
    System.out.println();
  }

  private static LoadTarget withHeader(LoadTarget target, String name, String value) {
    HttpRequest request = HttpRequest.newBuilder(target.request(), (n, v) -> true).header(name, value).build();
    return new LoadTarget(target.name(), target.client(), request);
  }

  /** The x-tollgate-cache header of one request. */
  private static String status(LoadTarget target) throws Exception {
    try (HttpClient client = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
      HttpResponse<String> response = client.send(target.request(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
      }
      return response.headers().firstValue("x-tollgate-cache").orElse("(none)");
    }
  }
}
