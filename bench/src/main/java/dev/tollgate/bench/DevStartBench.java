package dev.tollgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The dev server's time from process launch to its first 200: launches {@code java -jar
 * tollgate.jar dev} as a user would (default config from the working directory) and polls it with
 * a real chat completion on the {@code mock} alias. Prints the median as a markdown table.
 *
 * <p>Options: {@code --jar CLI_JAR --key DEMO_KEY [--runs 5 --directory REPO_ROOT]}.
 */
public final class DevStartBench {

  private static final Duration GIVE_UP = Duration.ofSeconds(60);
  private static final String BODY = "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"ready?\"}]}";

  private DevStartBench() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    int runs = args.integer("runs", 5);
    Path directory = Path.of(args.text("directory", "."));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

    timeToFirst200(client, args.text("jar"), args.text("key"), directory); // discarded warm-up launch
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      double ms = timeToFirst200(client, args.text("jar"), args.text("key"), directory);
      millis.add(ms);
      System.err.printf("  dev server run %d: first 200 after %.0f ms%n", i + 1, ms);
    }
    Sample sample = Sample.ofMillis(millis.stream().mapToDouble(Double::doubleValue).toArray());
    System.out.println("### Dev server: process launch to first 200 (ms)");
    System.out.println();
    System.out.println("`java -jar cli/target/tollgate.jar dev --port P --demo-key K` (config/dev.yaml, DynamoDB Local embedded), polled every 5 ms with a chat completion on `mock`.");
    System.out.println();
    System.out.println("| runs | median | min | max | all runs |");
    System.out.println("|---:|---:|---:|---:|---|");
    System.out.printf("| %d | %s | %s | %s | %s |%n", runs, Format.whole(sample.median()), Format.whole(sample.min()),
        Format.whole(sample.max()), millis.stream().map(Format::whole).collect(Collectors.joining(", ")));
    System.out.println();
  }

  private static double timeToFirst200(HttpClient client, String jar, String key, Path directory) throws Exception {
    int port = FreePorts.take(1).getFirst();
    List<String> command = List.of(ChildProcess.javaBinary(), "-jar", jar, "dev", "--port", Integer.toString(port), "--demo-key", key);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(5))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(BODY, StandardCharsets.UTF_8))
            .build();
    try (ChildProcess dev = ChildProcess.start(command, java.util.Map.of(), directory)) {
      while (dev.nanosSinceLaunch() < GIVE_UP.toNanos()) {
        if (!dev.alive()) {
          throw new IllegalStateException("the dev server exited before answering:\n" + dev.tail());
        }
        try {
          if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return dev.nanosSinceLaunch() / 1_000_000.0;
          }
        } catch (IOException notListeningYet) {
          // expected until the server binds its port
        }
        Thread.sleep(5);
      }
      throw new IllegalStateException("no 200 within " + GIVE_UP.toSeconds() + " s:\n" + dev.tail());
    }
  }
}
