package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The jar SAM deploys (target/tollgate-proxy-lambda.jar, built by the shade plugin before this
 * runs at {@code verify}): small enough, without the HTTP clients and tokenizer vocabularies we
 * excluded, and able to serve a request in a JVM of its own with Powertools' JSON logs, which only
 * work when the shade transformer has merged log4j's plugin caches.
 */
@Tag("shaded-jar")
class ShadedJarIT {

  private static final Path JAR = Path.of("target", "tollgate-proxy-lambda.jar");
  /**
   * 25 MiB until output moderation brought the SQS client (+0.98 MB): bench/RESULTS.md, "SQS client".
   * 27 MiB until knowledge-base retrieval brought the Lambda client for RagFunction: +2.93 MB
   * (compressed; the client carries the models of all of Lambda's operations), 30,341,019 bytes
   * measured with {@code mvn -pl functions/proxy -am verify} on 2026-12-02.
   */
  private static final long MAX_BYTES = 30L * 1024 * 1024;
  private static final String SERVICE = "tollgate-proxy-it";

  @Test
  void isUnder30MbWithoutApacheOrNettyHttpClients() throws IOException {
    assertTrue(Files.exists(JAR), JAR.toAbsolutePath() + " is built by the shade plugin at package");
    long size = Files.size(JAR);
    assertTrue(size < MAX_BYTES, "jar is " + size + " bytes, limit " + MAX_BYTES);
    List<String> excluded = new ArrayList<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream()
          .map(ZipEntry::getName)
          .filter(name -> name.startsWith("org/apache/http/") || name.startsWith("io/netty/"))
          .limit(5)
          .forEach(excluded::add);
    }
    assertEquals(List.of(), excluded, "the SDK's Apache and Netty clients must stay out of the jar");
  }

  @Test
  void keepsTheTokenizerVocabulariesTheEstimatorReadsAndOnlyThose() throws IOException {
    // The shade filter drops jtokkit's unused vocabularies to stay under the size limit; dropping
    // a used one would only show as a failure on the first limited request in Lambda.
    List<String> vocabularies = new ArrayList<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream().map(ZipEntry::getName).filter(name -> name.endsWith(".tiktoken")).sorted().forEach(vocabularies::add);
    }
    assertEquals(
        List.of("com/knuddels/jtokkit/cl100k_base.tiktoken", "com/knuddels/jtokkit/o200k_base.tiktoken"), vocabularies);
  }

  @Test
  void answersTheChatEventInItsOwnJvmWithPowertoolsJsonLogs() throws Exception {
    ProxyTestBed bed = ProxyTestBed.withExampleConfig();
    Path event = ProxyTestBed.repoRoot().resolve("events/chat.json");
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder =
        new ProcessBuilder(
                java, "-Djava.io.tmpdir=target", "-cp", JAR.toString(), LocalInvoke.class.getName(), event.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = builder.environment();
    env.clear(); // only what Lambda would give it, and nothing that could reach beyond loopback
    env.putAll(bed.environment());
    env.putAll(
        Map.of(
            "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test",
            "AWS_DEFAULT_REGION", ProxyTestBed.REGION,
            "AWS_EC2_METADATA_DISABLED", "true",
            "AWS_EMF_ENVIRONMENT", "Local",
            "AWS_EMF_SERVICE_NAME", SERVICE,
            "AWS_EMF_SERVICE_TYPE", "Test",
            "POWERTOOLS_SERVICE_NAME", SERVICE,
            "POWERTOOLS_METRICS_NAMESPACE", "TollgateIT",
            "POWERTOOLS_LOG_LEVEL", "INFO"));
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes(); // until the child exits and closes stdout
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("LocalInvoke did not finish within 60 s");
    }
    String stdout = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), stdout);

    List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
    JsonNode response = Json.parse(lines.getLast());
    assertEquals(200, response.path("statusCode").asInt(), stdout);
    JsonNode completion = Json.parse(response.path("body").asText());
    assertEquals("chat.completion", completion.path("object").asText());
    assertEquals("Say hello to Tollgate.", completion.at("/choices/0/message/content").asText());

    List<JsonNode> logs = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("{")) {
        JsonNode json = Json.parse(line);
        if (json.has("level") && json.has("message")) {
          logs.add(json);
        }
      }
    }
    assertTrue(
        logs.stream().anyMatch(log -> log.path("service").asText().equals(SERVICE) && log.path("message").asText().startsWith("Loaded config")),
        "a Powertools JSON log line with level, message and service: the log4j plugin caches were merged\n" + stdout);
    String requestId = ProxyTestBed.readJson(ProxyTestBed.repoRoot().resolve("events/chat.json")).at("/requestContext/requestId").asText();
    assertTrue(
        logs.stream().anyMatch(log -> log.path("correlation_id").asText().equals(requestId)),
        "log lines during the request carry the API Gateway request id as correlation_id\n" + stdout);
  }
}
