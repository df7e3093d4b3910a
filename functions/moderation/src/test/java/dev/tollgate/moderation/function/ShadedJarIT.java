package dev.tollgate.moderation.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * The jar SAM deploys (target/tollgate-moderation-lambda.jar, built at package): without the
 * libraries left out of it, and able to run the handler in a JVM of its own (so nothing it needs
 * went with them) with Powertools' JSON logs.
 */
@Tag("shaded-jar")
class ShadedJarIT {

  private static final Path JAR = Path.of("target", "tollgate-moderation-lambda.jar");
  private static final long MAX_BYTES = 22L * 1024 * 1024;

  @Test
  void leavesOutWhatTheModerationPathNeverUses() throws IOException {
    assertTrue(Files.exists(JAR), JAR.toAbsolutePath() + " is built by the shade plugin at package");
    assertTrue(Files.size(JAR) < MAX_BYTES, "jar is " + Files.size(JAR) + " bytes");
    List<String> excluded = new ArrayList<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream().map(ZipEntry::getName)
          .filter(name -> name.startsWith("org/apache/http/") || name.startsWith("io/netty/")
              || name.startsWith("com/knuddels/") || name.startsWith("software/amazon/awssdk/crt/"))
          .limit(5)
          .forEach(excluded::add);
    }
    assertEquals(List.of(), excluded);
  }

  @Test
  void runsTheSampleEventInItsOwnJvmWithJsonLogs() throws Exception {
    Path event = ModerationFlowTest.repoRoot().resolve("events/moderation/sqs-batch.json");
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Djava.io.tmpdir=target", "-cp", JAR.toString(), LocalModerationInvoke.class.getName(), event.toString())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.clear();
    // Nothing listens on port 9: the guardrail call fails, so the message is reported for retry.
    env.putAll(Map.of(
        "TOLLGATE_AUDIT_TABLE", "audit", "TOLLGATE_COUNTERS_TABLE", "counters", "TOLLGATE_CONFIG_TABLE", "config",
        "TOLLGATE_DYNAMODB_ENDPOINT", "http://127.0.0.1:9", "TOLLGATE_GUARDRAIL_ENDPOINT", "http://127.0.0.1:9",
        "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
        "AWS_EC2_METADATA_DISABLED", "true", "AWS_EMF_ENVIRONMENT", "Local"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);

    List<String> lines = output.lines().toList();
    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"0d3b6f5e-4c1a-4f0e-9a57-3b1f6c2d8e01\"}]}", lines.getLast(), output);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("{") && Json.parse(l).path("message").asText().contains("will be retried")),
        "a JSON log line says why: " + output);
    assertTrue(lines.stream().noneMatch(l -> l.contains("An example answer to moderate")), "never the text");
  }
}
