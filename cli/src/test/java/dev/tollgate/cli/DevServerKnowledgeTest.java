package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev server creates the knowledge table, says how to ingest into it, and `tollgate kb ingest` fills it. */
class DevServerKnowledgeTest {

  @TempDir Path dir;

  @Test
  void ingestsIntoTheDevServersKnowledgeTable() throws Exception {
    int dynamoPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      dynamoPort = socket.getLocalPort();
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (DevServer server =
        DevServer.start(
            new DevServer.Options(Optional.empty(), "127.0.0.1", 0, Optional.empty(), Optional.of(dynamoPort), Duration.ofSeconds(15), Map.of()),
            new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      String endpoint = "http://127.0.0.1:" + dynamoPort;
      assertTrue(
          printed.toString(StandardCharsets.UTF_8).contains("tollgate kb ingest --kb NAME PATH --endpoint " + endpoint + " --table-prefix tollgate-"),
          printed.toString(StandardCharsets.UTF_8));
      Files.writeString(dir.resolve("faq.md"), "# FAQ\n\nThe office is closed on public holidays.\n");

      CliRun ingest = CliRun.of("kb", "ingest", "--kb", "faq", dir.toString(), "--endpoint", endpoint, "--region", "us-east-1");

      assertEquals(0, ingest.exitCode(), ingest.out() + ingest.err());
      assertEquals("faq.md: ingested (1 chunk)", ingest.out().strip());
    }
  }
}
