package dev.tollgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Time to first token, streamed: from sending a {@code stream: true} request to reading the first
 * content-bearing {@code data:} event, against the streaming mock upstream directly and through
 * the gateway, rounds alternating which path goes first. Each request also reads its stream to
 * {@code [DONE]} (so connections are reused and the stream's whole life is exercised) and counts
 * its events; both paths must deliver the same number of content events.
 *
 * <p>Options: {@code --direct URL --gateway URL --key KEY [--model bench-stream --concurrency 8
 * --requests 400 --rounds 3 --warmup 300]}.
 */
public final class TtftBench {

  static final double TARGET_ADDED_P99_MS = 5.0;

  private TtftBench() {}

  /** What one streamed request saw. */
  record Observation(long firstTokenNanos, long totalNanos, int contentEvents) {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    String key = args.text("key");
    String model = args.text("model", "bench-stream");
    int concurrency = args.integer("concurrency", 8);
    int requests = args.integer("requests", 400);
    int rounds = args.integer("rounds", 3);
    URI direct = URI.create(args.text("direct"));
    URI gateway = URI.create(args.text("gateway"));
    byte[] body =
        ("{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"one two three four five six seven eight\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    run(client, direct, key, body, concurrency, args.integer("warmup", 300));
    run(client, gateway, key, body, concurrency, args.integer("warmup", 300));
    List<Observation> directSeen = new ArrayList<>();
    List<Observation> gatewaySeen = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      boolean directFirst = round % 2 == 0;
      if (directFirst) {
        directSeen.addAll(run(client, direct, key, body, concurrency, requests));
      }
      gatewaySeen.addAll(run(client, gateway, key, body, concurrency, requests));
      if (!directFirst) {
        directSeen.addAll(run(client, direct, key, body, concurrency, requests));
      }
    }
    print(directSeen, gatewaySeen, concurrency, rounds, requests);
  }

  private static List<Observation> run(
      HttpClient client, URI uri, String key, byte[] body, int concurrency, int requests) throws Exception {
    List<Observation> seen = new ArrayList<>();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Observation>>> futures = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        int share = requests / concurrency + (w < requests % concurrency ? 1 : 0);
        futures.add(
            workers.submit(
                () -> {
                  List<Observation> mine = new ArrayList<>(share);
                  for (int i = 0; i < share; i++) {
                    mine.add(once(client, uri, key, body));
                  }
                  return mine;
                }));
      }
      for (Future<List<Observation>> f : futures) {
        seen.addAll(f.get());
      }
    }
    return seen;
  }

  static Observation once(HttpClient client, URI uri, String key, byte[] body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("authorization", "Bearer " + key)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long start = System.nanoTime();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + text);
    }
    long first = -1;
    int contentEvents = 0;
    boolean done = false;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.equals("data: [DONE]")) {
          done = true;
        } else if (line.startsWith("data: ") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
          contentEvents++;
          if (first < 0) {
            first = System.nanoTime() - start;
          }
        }
      }
    }
    if (!done || first < 0) {
      throw new IllegalStateException(uri + " sent a stream without content or without [DONE]");
    }
    return new Observation(first, System.nanoTime() - start, contentEvents);
  }

  private static void print(
      List<Observation> direct, List<Observation> gateway, int concurrency, int rounds, int requests) {
    Sample d = Sample.ofNanos(direct.stream().mapToLong(Observation::firstTokenNanos).toArray());
    Sample g = Sample.ofNanos(gateway.stream().mapToLong(Observation::firstTokenNanos).toArray());
    Sample dt = Sample.ofNanos(direct.stream().mapToLong(Observation::totalNanos).toArray());
    Sample gt = Sample.ofNanos(gateway.stream().mapToLong(Observation::totalNanos).toArray());
    long directEvents = direct.stream().mapToLong(Observation::contentEvents).sum();
    long gatewayEvents = gateway.stream().mapToLong(Observation::contentEvents).sum();
    System.out.println("### Time to first token, streamed (mock upstream: one chunk every 20 ms)");
    System.out.println();
    System.out.printf(
        "c=%d closed loop, %d rounds of %d streamed requests per path, alternating; first token = first"
            + " data event with non-empty content.%n%n",
        concurrency, rounds, requests);
    System.out.println("| | direct | through gateway | added |");
    System.out.println("|---|---|---|---|");
    row("TTFT p50 (ms)", d.median(), g.median());
    row("TTFT p99 (ms)", d.percentile(99), g.percentile(99));
    row("TTFT max (ms)", d.max(), g.max());
    row("whole stream p50 (ms)", dt.median(), gt.median());
    System.out.printf("| content events | %d | %d | |%n", directEvents, gatewayEvents);
    double added = g.percentile(99) - d.percentile(99);
    System.out.println();
    System.out.printf(
        "Target: added TTFT p99 <= %s ms: %s (%s ms).%n%n",
        Format.ms(TARGET_ADDED_P99_MS), Format.verdict(added <= TARGET_ADDED_P99_MS), Format.signedMs(added));
  }

  private static void row(String label, double direct, double gateway) {
    System.out.printf(
        "| %s | %s | %s | %s |%n", label, Format.ms(direct), Format.ms(gateway), Format.signedMs(gateway - direct));
  }
}
