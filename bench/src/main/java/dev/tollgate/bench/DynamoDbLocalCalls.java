package dev.tollgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The round trip of each DynamoDB call a limit makes, alone, one at a time, against the DynamoDB
 * Local a dev server serves on loopback: the unit the limits phase's added latency is made of.
 * The calls have the shapes {@code DynamoDbQuotaStore} sends (a conditional {@code ADD} returning
 * the new count; an {@code ADD} plus a settlement marker in one transaction; a consistent read; a
 * batch read of three counters), on items of their own ({@code bench-probe#...}), so no policy's
 * counter moves. Plain JSON over HTTP, as the SDK sends it; DynamoDB Local checks no signature.
 * The calls take turns, so noise falls on all four alike. Prints one markdown table.
 *
 * <p>Options: {@code --endpoint http://127.0.0.1:PORT [--pid P --table tollgate-counters --requests 200
 * --warmup 200]}; with the pid of the process serving DynamoDB Local, its CPU per call is printed too.
 */
public final class DynamoDbLocalCalls {

  private static final String COUNTER_KEY =
      "{\"pk\":{\"S\":\"bench-probe#counter\"},\"sk\":{\"S\":\"fixed-60#0\"}}";

  private DynamoDbLocalCalls() {}

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    URI endpoint = URI.create(args.text("endpoint"));
    String table = args.text("table", "tollgate-counters");
    int requests = args.integer("requests", 200);
    int warmup = args.integer("warmup", 200);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    CpuMeter meter = new CpuMeter().add("server", args.pid("pid"));
    Map<String, long[]> timings = new LinkedHashMap<>();
    for (String operation : new String[] {"UpdateItem", "TransactWriteItems", "GetItem", "BatchGetItem"}) {
      timings.put(operation, new long[requests]);
    }
    Map<String, Duration> cpuBefore = Map.of();
    for (int i = -warmup; i < requests; i++) {
      if (i == 0) {
        cpuBefore = meter.read();
      }
      for (Map.Entry<String, long[]> entry : timings.entrySet()) {
        long took = call(client, endpoint, entry.getKey(), body(entry.getKey(), table, i));
        if (i >= 0) {
          entry.getValue()[i] = took;
        }
      }
    }
    Duration serverCpu = CpuMeter.between(cpuBefore, meter.read()).get("server");

    System.out.println("### DynamoDB Local: one call's round trip on loopback, alone, c=1 (ms)");
    System.out.println();
    System.out.printf("%d of each call, taking turns, after %d discarded rounds; a plain HTTP client in the load generator's JVM to the"
        + " DynamoDB Local inside dev server (b), while no load runs.%n%n", requests, warmup);
    System.out.println("| call (as the quota store sends it) | p50 | p90 | p99 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    timings.forEach((operation, nanos) -> {
      Sample s = Sample.ofNanos(nanos);
      System.out.printf("| %s | %s | %s | %s | %s |%n", label(operation), Format.ms(s.median()), Format.ms(s.percentile(90)),
          Format.ms(s.percentile(99)), Format.ms(s.max()));
    });
    if (serverCpu != null) {
      System.out.printf("%nCPU of the dev server process (its DynamoDB Local) per call, the four kinds together: %s microseconds.%n",
          Format.whole(serverCpu.toNanos() / 1000.0 / (requests * timings.size())));
    }
    System.out.println();
  }

  private static String label(String operation) {
    return switch (operation) {
      case "UpdateItem" -> "`UpdateItem`: conditional ADD, returns the new count (a reserve)";
      case "TransactWriteItems" -> "`TransactWriteItems`: ADD + conditional marker `PutItem` (a settlement)";
      case "GetItem" -> "`GetItem`, consistent (a sliding window's previous bucket)";
      default -> "`BatchGetItem` of 3 counters, consistent (headers for several policies)";
    };
  }

  private static String body(String operation, String table, int i) {
    return switch (operation) {
      case "UpdateItem" ->
          "{\"TableName\":\"" + table + "\",\"Key\":" + COUNTER_KEY + ",\"UpdateExpression\":\"ADD used :amount SET expiresAt = :expires\","
              + "\"ConditionExpression\":\"attribute_not_exists(used) OR used <= :threshold\",\"ExpressionAttributeValues\":"
              + "{\":amount\":{\"N\":\"1\"},\":threshold\":{\"N\":\"999999999999\"},\":expires\":{\"N\":\"" + expires() + "\"}},"
              + "\"ReturnValues\":\"UPDATED_NEW\"}";
      case "TransactWriteItems" ->
          "{\"TransactItems\":[{\"Update\":{\"TableName\":\"" + table + "\",\"Key\":" + COUNTER_KEY + ","
              + "\"UpdateExpression\":\"ADD used :delta SET expiresAt = :expires\",\"ExpressionAttributeValues\":"
              + "{\":delta\":{\"N\":\"-1\"},\":expires\":{\"N\":\"" + expires() + "\"}}}},"
              + "{\"Put\":{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"bench-probe#settle#" + System.nanoTime() + "-" + i
              + "\"},\"sk\":{\"S\":\"settle\"},\"expiresAt\":{\"N\":\"" + expires() + "\"}},"
              + "\"ConditionExpression\":\"attribute_not_exists(pk)\"}}]}";
      case "GetItem" ->
          "{\"TableName\":\"" + table + "\",\"Key\":" + COUNTER_KEY + ",\"ConsistentRead\":true,\"ProjectionExpression\":\"used\"}";
      default ->
          "{\"RequestItems\":{\"" + table + "\":{\"ConsistentRead\":true,\"Keys\":[" + COUNTER_KEY + ","
              + COUNTER_KEY.replace("fixed-60#0", "fixed-60#60") + "," + COUNTER_KEY.replace("fixed-60#0", "fixed-60#120") + "]}}}";
    };
  }

  /** An expiry a day ahead: DynamoDB Local hides items whose TTL has passed. */
  private static long expires() {
    return System.currentTimeMillis() / 1000 + 86_400;
  }

  /** One call's round trip in nanoseconds; anything but 200 stops the probe, since its figures would mean nothing. */
  private static long call(HttpClient client, URI endpoint, String operation, String json) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(10))
            .header("content-type", "application/x-amz-json-1.0")
            .header("x-amz-target", "DynamoDB_20120810." + operation)
            .header("authorization",
                "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build();
    long start = System.nanoTime();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    long took = System.nanoTime() - start;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(operation + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    return took;
  }
}
