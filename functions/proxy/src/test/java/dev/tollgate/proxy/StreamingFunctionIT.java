package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.gateway.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The streaming function's zip (target/tollgate-streaming.zip, built at {@code package}) run as
 * Lambda runs it under the Web Adapter: unpacked, its run.sh starts StreamingMain from the shaded
 * jar in a JVM of its own with the function's environment, against DynamoDB Local on loopback.
 * The test plays the adapter: it waits for the readiness path, then sends HTTP requests.
 */
@Tag("shaded-jar")
class StreamingFunctionIT {

  private static final Path ZIP = Path.of("target", "tollgate-streaming.zip");
  private static final String SCRIPT = "run.sh";
  private static final String JAR = "tollgate-proxy-lambda.jar";
  private static final String SERVICE = "tollgate-streaming-it";
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private Process process;

  @AfterEach
  void stopTheFunction() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy(); // SIGTERM, as Lambda sends at shutdown
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void theZipHoldsAnExecutableRunShAndTheShadedJarAtItsRoot() throws IOException {
    Map<String, Integer> modes = unixModes(ZIP);
    assertEquals(List.of(SCRIPT, JAR), modes.keySet().stream().sorted().toList(), "and nothing else: " + modes);
    assertEquals(0755, modes.get(SCRIPT) & 0777, "the adapter executes the handler script itself");
  }

  @Test
  void runShStartsAServerThatStreamsAndAnswersPlainRequests() throws Exception {
    ProxyTestBed bed = ProxyTestBed.withExampleConfig();
    Path taskRoot = unpack(ZIP);
    int port = ProxyTestBed.freeLoopbackPort();
    process = start(taskRoot, bed, port);
    URI base = URI.create("http://127.0.0.1:" + port);

    awaitReadiness(base.resolve(Gateway.HEALTH_PATH));

    HttpResponse<String> streamed = chat(base, true);
    assertEquals(200, streamed.statusCode(), streamed.body());
    assertTrue(streamed.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"), streamed.headers().toString());
    String sse = streamed.body();
    assertTrue(sse.endsWith("data: [DONE]\n\n"), sse);
    StringBuilder text = new StringBuilder();
    for (String line : sse.lines().filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]")).toList()) {
      JsonNode chunk = Json.parse(line.substring("data: ".length()));
      assertEquals("chat.completion.chunk", chunk.path("object").asText(), line);
      text.append(chunk.at("/choices/0/delta/content").asText(""));
    }
    assertEquals("Say hello to Tollgate.", text.toString(), "the mock echoes the prompt, chunk by chunk\n" + sse);

    HttpResponse<String> plain = chat(base, false);
    assertEquals(200, plain.statusCode(), plain.body());
    JsonNode completion = Json.parse(plain.body());
    assertEquals("chat.completion", completion.path("object").asText());
    assertEquals("Say hello to Tollgate.", completion.at("/choices/0/message/content").asText());

    process.destroy();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the JVM exits on SIGTERM");
    List<JsonNode> lines = jsonLines();
    assertTrue(
        lines.stream().anyMatch(l -> l.path("service").asText().equals(SERVICE) && l.path("message").asText().startsWith("Primed ")),
        "a JSON log line, with the service from the environment, after priming\n" + stdoutText());
    assertTrue(
        lines.stream().anyMatch(l -> l.has("_aws") && l.path("Requests").asDouble() >= 1),
        "EMF metrics on stdout without a Lambda context\n" + stdoutText());
  }

  private Process start(Path taskRoot, ProxyTestBed bed, int port) throws IOException {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", taskRoot.resolve(SCRIPT).toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = builder.environment();
    env.clear(); // what Lambda gives the function, and nothing that could reach beyond loopback
    env.putAll(bed.environment());
    Map<String, String> lambda = new HashMap<>();
    lambda.put("PATH", java.getParent() + ":/usr/bin:/bin"); // run.sh finds java on PATH, as in Lambda
    lambda.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    lambda.put("AWS_LWA_PORT", Integer.toString(port));
    lambda.put("AWS_ACCESS_KEY_ID", "test");
    lambda.put("AWS_SECRET_ACCESS_KEY", "test");
    lambda.put("AWS_DEFAULT_REGION", ProxyTestBed.REGION);
    lambda.put("AWS_EC2_METADATA_DISABLED", "true");
    lambda.put("AWS_EMF_ENVIRONMENT", "Local");
    lambda.put("AWS_EMF_SERVICE_NAME", SERVICE);
    lambda.put("AWS_EMF_SERVICE_TYPE", "Test");
    lambda.put("AWS_LAMBDA_FUNCTION_NAME", "tollgate-streaming-it");
    lambda.put("POWERTOOLS_SERVICE_NAME", SERVICE);
    lambda.put("POWERTOOLS_METRICS_NAMESPACE", "TollgateIT");
    lambda.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + Path.of("target").toAbsolutePath());
    env.putAll(lambda);
    Process started = builder.start();
    Thread.ofVirtual().start(() -> copy(started.getInputStream()));
    return started;
  }

  /** Polls the readiness path as the adapter does, until it answers 200 or the JVM gives up. */
  private void awaitReadiness(URI health) throws InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("run.sh exited with " + process.exitValue() + " before it was ready\n" + stdoutText());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the JVM is still starting or priming
      }
      Thread.sleep(50);
    }
    fail("no answer on " + health + " within " + STARTUP + "\n" + stdoutText());
  }

  private HttpResponse<String> chat(URI base, boolean stream) throws IOException, InterruptedException {
    String body =
        "{\"model\":\"mock\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to Tollgate.\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
            .header("authorization", "Bearer " + ProxyTestBed.EXAMPLE_KEY)
            .header("content-type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private void copy(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        synchronized (stdout) {
          stdout.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  private String stdoutText() {
    synchronized (stdout) {
      return stdout.toString(StandardCharsets.UTF_8);
    }
  }

  private List<JsonNode> jsonLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : stdoutText().lines().toList()) {
      if (line.startsWith("{")) {
        lines.add(Json.parse(line));
      }
    }
    return lines;
  }

  /** Unpacks the zip into a fresh directory under target/, as Lambda unpacks it into /var/task. */
  private static Path unpack(Path zip) throws IOException {
    assertTrue(Files.exists(zip), zip.toAbsolutePath() + " is built by the assembly plugin at package");
    Path root = Files.createTempDirectory(Path.of("target"), "streaming-task-").toAbsolutePath();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : file.stream().toList()) {
        Path target = root.resolve(entry.getName()).normalize();
        assertTrue(target.startsWith(root), entry.getName());
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, target);
        }
      }
    }
    return root;
  }

  /**
   * Each entry's Unix mode, from the zip's central directory (the upper half of the external
   * attributes, as Info-ZIP and the assembly plugin write it); java.util.zip does not expose it.
   */
  private static Map<String, Integer> unixModes(Path zip) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
    int end = bytes.limit() - 22;
    while (end >= 0 && bytes.getInt(end) != 0x06054b50) {
      end--; // the end-of-central-directory record, before an optional comment
    }
    assertTrue(end >= 0, "not a zip: " + zip);
    int entries = Short.toUnsignedInt(bytes.getShort(end + 10));
    int at = bytes.getInt(end + 16);
    Map<String, Integer> modes = new HashMap<>();
    for (int i = 0; i < entries; i++) {
      if (bytes.getInt(at) != 0x02014b50) {
        throw new UncheckedIOException(new IOException("bad central directory entry at " + at));
      }
      int nameLength = Short.toUnsignedInt(bytes.getShort(at + 28));
      int extraLength = Short.toUnsignedInt(bytes.getShort(at + 30));
      int commentLength = Short.toUnsignedInt(bytes.getShort(at + 32));
      int external = bytes.getInt(at + 38);
      byte[] name = new byte[nameLength];
      bytes.get(at + 46, name);
      modes.put(new String(name, StandardCharsets.UTF_8), external >>> 16);
      at += 46 + nameLength + extraLength + commentLength;
    }
    return modes;
  }
}
