package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.Json;
import dev.tollgate.aws.TableSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The README's response cache example, config/examples/response-cache.yaml, served by `tollgate
 * dev`: the dev server creates the cache table, a repeat is answered from it, buffered or streamed.
 */
class DevServerCacheTest {

  private static final Path EXAMPLE = Path.of("..", "config", "examples", "response-cache.yaml");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static DevServer server;

  @BeforeAll
  static void start() throws Exception {
    server = DevServer.start(
        new DevServer.Options(Optional.of(EXAMPLE), "127.0.0.1", 0, Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Map.of()),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> chat(String prompt, boolean stream) throws Exception {
    String body = "{\"model\":\"mock\",\"temperature\":0,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("Authorization", "Bearer " + server.demoKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRepeatIsAnsweredFromTheCacheTable() throws Exception {
    HttpResponse<String> first = chat("cache me", false);
    HttpResponse<String> second = chat("cache me", false);
    HttpResponse<String> streamed = chat("cache me", true);

    assertEquals("miss", first.headers().firstValue("x-tollgate-cache").orElseThrow());
    assertEquals("hit", second.headers().firstValue("x-tollgate-cache").orElseThrow());
    assertEquals("none", second.headers().firstValue("x-tollgate-target").orElseThrow());
    assertEquals(
        Json.parse(first.body()).at("/choices/0/message/content").asText(),
        Json.parse(second.body()).at("/choices/0/message/content").asText());
    assertEquals("hit", streamed.headers().firstValue("x-tollgate-cache").orElseThrow());
    assertTrue(streamed.body().contains("\"content\":\"cache me\"") && streamed.body().endsWith("data: [DONE]\n\n"),
        streamed.body());
    int items = server.dynamo().scan(ScanRequest.builder().tableName(DevServer.TABLE_PREFIX + TableSchemas.CACHE).build()).count();
    assertEquals(1, items);
  }
}
