package dev.tollgate.rag.function;

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
 * The jar SAM deploys (target/tollgate-rag-lambda.jar, built at package): without the in-process
 * embedding model, the ingestion parsers and the clients it never uses, and able to answer a
 * request in a JVM of its own (so nothing it needs went with them) with Powertools' JSON logs.
 */
@Tag("shaded-jar")
class ShadedJarIT {

  private static final Path JAR = Path.of("target", "tollgate-rag-lambda.jar");
  /**
   * Measured 20,721,998 bytes (mvn package, 2026-12-02): the DynamoDB, Bedrock Runtime and Bedrock
   * Agent Runtime clients are 6.7 MB of it, log4j 1.9 MB; 22 MiB leaves room for the index classes.
   */
  private static final long MAX_BYTES = 22L * 1024 * 1024;

  @Test
  void holdsNoEmbeddingModelParserOrUnusedClient() throws IOException {
    assertTrue(Files.exists(JAR), JAR.toAbsolutePath() + " is built by the shade plugin at package");
    assertTrue(Files.size(JAR) < MAX_BYTES, "jar is " + Files.size(JAR) + " bytes, limit " + MAX_BYTES);
    List<String> excluded = new ArrayList<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream().map(ZipEntry::getName)
          .filter(name -> name.startsWith("ai/onnxruntime/") || name.startsWith("dev/langchain4j/") || name.startsWith("org/apache/pdfbox/")
              || name.startsWith("org/jsoup/") || name.startsWith("org/apache/http/") || name.startsWith("io/netty/")
              || name.startsWith("com/knuddels/") || name.startsWith("software/amazon/awssdk/crt/")
              || name.startsWith("software/amazon/awssdk/services/sqs/") || name.startsWith("software/amazon/awssdk/services/lambda/"))
          .limit(5)
          .forEach(excluded::add);
    }
    assertEquals(List.of(), excluded);
  }

  @Test
  void answersTheSampleRequestInItsOwnJvmWithJsonLogs() throws Exception {
    Path event = RagHandlerTest.repoRoot().resolve("events/rag/retrieve.json");
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Djava.io.tmpdir=target", "-cp", JAR.toString(), LocalRagInvoke.class.getName(), event.toString())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.clear();
    // Nothing listens on port 9: reading the base item fails, which is answered as a value.
    env.putAll(Map.of(
        "TOLLGATE_KNOWLEDGE_TABLE", "knowledge", "TOLLGATE_DYNAMODB_ENDPOINT", "http://127.0.0.1:9",
        "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
        "AWS_EC2_METADATA_DISABLED", "true", "AWS_EMF_ENVIRONMENT", "Local"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);

    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    var answer = Json.parse(lines.getLast());
    assertEquals("retrieval_failed", answer.at("/error/type").asText(), output);
    assertTrue(answer.at("/error/message").asText().startsWith("the knowledge table 'knowledge' could not be read"), output);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("{") && Json.parse(l).path("message").asText().contains("Retrieval from 'handbook' failed")),
        "a JSON log line says why: " + output);
    assertTrue(lines.stream().noneMatch(l -> l.contains("How many vacation days")), "never the query");
  }
}
