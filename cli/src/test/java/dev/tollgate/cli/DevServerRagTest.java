package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 end to end, as a user runs it: `tollgate dev` with a retrieval policy, `tollgate kb
 * ingest` into its DynamoDB, then a chat request answered from the knowledge base (in-process
 * MiniLM and index) with the sources in the header; a base never ingested follows `onError`.
 * The upstream is the OpenAI-compatible mock, which echoes the last user message, so with
 * {@code inject: user} the answer shows the context block the upstream was sent.
 */
class DevServerRagTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void ingestedDocumentsGroundTheAnswerAndAreCited() throws Exception {
    try (MockUpstreamServer upstream = MockUpstreamServer.start(0, Duration.ZERO)) {
      Path config = dir.resolve("rag.yaml");
      Files.writeString(config, """
          models:
            support:
              targets:
                - id: support-upstream
                  provider: openai-compatible
                  model: upstream-model
                  baseUrl: http://127.0.0.1:%d/v1
            lookup:
              targets:
                - id: lookup-upstream
                  provider: openai-compatible
                  model: upstream-model
                  baseUrl: http://127.0.0.1:%d/v1
          rag:
            handbook:
              kb: handbook
              models: [support]
              topK: 1
              inject: user
            missing:
              kb: never-ingested
              models: [lookup]
              onError: answer
          """.formatted(upstream.port(), upstream.port()));
      Path docs = Files.createDirectories(dir.resolve("handbook"));
      Files.writeString(docs.resolve("refunds.md"),
          "# Refunds\n\nCustomers get a full refund within 30 days of purchase. After that, store credit only.\n");
      Files.writeString(docs.resolve("parking.md"),
          "# Parking\n\nThe staff garage on Elm Street opens at seven in the morning and closes at nine at night.\n");
      int dynamoPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        dynamoPort = socket.getLocalPort();
      }
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      try (DevServer server =
          DevServer.start(
              new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.of("tg-rag"), Optional.of(dynamoPort),
                  Duration.ofSeconds(15), Map.of()),
              new PrintStream(printed, true, StandardCharsets.UTF_8))) {
        CliRun ingest =
            CliRun.of("kb", "ingest", "--kb", "handbook", docs.toString(), "--endpoint", "http://127.0.0.1:" + dynamoPort,
                "--region", "us-east-1");
        assertEquals(0, ingest.exitCode(), ingest.out() + ingest.err());

        HttpResponse<String> grounded = chat(server, "support", "How long do customers have to ask for their money back?");

        assertEquals(200, grounded.statusCode(), grounded.body());
        String sources = grounded.headers().firstValue("x-tollgate-sources").orElseThrow();
        assertTrue(sources.startsWith("1;kb=handbook;doc=refunds.md;pos=0;score="), sources);
        String answer = Json.parse(grounded.body()).at("/choices/0/message/content").asText();
        assertTrue(answer.contains("[1]"), answer);
        assertTrue(answer.contains("full refund within 30 days"), answer);
        assertFalse(answer.contains("Elm Street"), "topK 1: only the best chunk is sent: " + answer);
        assertTrue(answer.endsWith("How long do customers have to ask for their money back?"), answer);

        HttpResponse<String> ungrounded = chat(server, "lookup", "Where is the garage?");

        assertEquals(200, ungrounded.statusCode(), ungrounded.body());
        assertEquals("unavailable", ungrounded.headers().firstValue("x-tollgate-rag").orElseThrow());
        assertEquals("Where is the garage?", Json.parse(ungrounded.body()).at("/choices/0/message/content").asText());
      }
    }
  }

  private static HttpResponse<String> chat(DevServer server, String model, String question) throws Exception {
    ObjectNode body = Json.object().put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", question);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("authorization", "Bearer tg-rag")
            .POST(HttpRequest.BodyPublishers.ofString(Json.text(body)))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
