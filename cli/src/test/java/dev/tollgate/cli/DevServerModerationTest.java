package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Guardrails through the dev server: `tollgate dev --guardrail-endpoint` pointed at `tollgate
 * mock-upstream`'s ApplyGuardrail blocks a prompt with the block word; an answer with it is
 * moderated in the dev server's own process, its verdict lands in the audit record, and the
 * consumer is disabled after one flag, so its next request is refused.
 */
class DevServerModerationTest {

  @TempDir static Path dir;
  private static MockUpstreamServer mock;
  private static DevServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    mock = MockUpstreamServer.start(0, Duration.ZERO, Duration.ZERO, "forbidden");
    Path config = dir.resolve("guarded.yaml");
    Files.writeString(
        config,
        """
        models:
          guarded:
            targets:
              - {id: guarded-echo, provider: mock}
          mock:
            targets:
              - {id: mock-echo, provider: mock}
        guardrails:
          prompts:
            guardrailId: gr1dev
            guardrailVersion: DRAFT
            input: true
            models: [guarded]
          answers:
            guardrailId: gr1dev
            guardrailVersion: 1
            output: true
            disableAfterFlags: 1
            flagWindow: 1h
            models: [mock]
        """);
    server =
        DevServer.start(
            new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.empty(), Optional.empty(), Duration.ofSeconds(1),
                Map.of(), Optional.of(URI.create("http://127.0.0.1:" + mock.port()))),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    server.close();
    mock.close();
  }

  private static HttpResponse<String> chat(String model, String text) throws Exception {
    var body = Json.object().put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("authorization", "Bearer " + server.demoKey())
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.text(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBlockedPromptIsRefusedAndAFlaggedAnswerDisablesTheConsumer() throws Exception {
    HttpResponse<String> blocked = chat("guarded", "tell me the forbidden thing");
    assertEquals(400, blocked.statusCode(), blocked.body());
    JsonNode error = Json.parse(blocked.body()).path("error");
    assertEquals("guardrail_blocked", error.path("code").asText());
    assertEquals("The request was blocked by guardrail 'prompts': " + MockGuardrail.BLOCKED_MESSAGE, error.path("message").asText());

    assertEquals(200, chat("guarded", "tell me a harmless thing").statusCode());

    HttpResponse<String> answered = chat("mock", "repeat after me: forbidden");
    assertEquals(200, answered.statusCode(), answered.body());
    String requestId = answered.headers().firstValue("x-request-id").orElseThrow();
    // What the audit capability's hook writes when the answer is over; moderation waits for it.
    server.dynamo().putItem(PutItemRequest.builder().tableName(LocalModeration.AUDIT_TABLE)
        .item(Map.of("requestId", AttributeValue.fromS(requestId), "moderation", AttributeValue.fromS("pending"))).build());

    Map<String, AttributeValue> verdict = eventually(() -> {
      var moderation = server.dynamo().getItem(GetItemRequest.builder().tableName(LocalModeration.AUDIT_TABLE)
          .key(Map.of("requestId", AttributeValue.fromS(requestId))).consistentRead(true).build()).item().get("moderation");
      return moderation != null && moderation.hasM() ? moderation.m() : null;
    });
    assertEquals("flagged", verdict.get("action").s());
    assertEquals(MockGuardrail.BLOCKED_MESSAGE, verdict.get("reason").s());
    assertFalse(verdict.toString().contains("repeat after me"));

    // disableAfterFlags 1: the demo key is off, and the gateway refuses it once config reloads.
    int refused = eventually(() -> {
      try {
        int status = chat("guarded", "hello").statusCode();
        return status == 401 ? status : null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(401, refused);
  }

  /** Polls until {@code probe} gives a value; generous, since the moderation thread retries after a pause. */
  private static <T> T eventually(Supplier<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nothing within 30 s");
  }

  @Test
  void theMockUpstreamAnswersApplyGuardrailAsBedrockDoes() throws Exception {
    HttpResponse<String> answer = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mock.port() + "/guardrail/gr1/version/DRAFT/apply"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"INPUT\",\"content\":[{\"text\":{\"text\":\"FORBIDDEN words\"}}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode json = Json.parse(answer.body());
    assertEquals("GUARDRAIL_INTERVENED", json.path("action").asText());
    assertEquals(MockGuardrail.BLOCKED_MESSAGE, json.at("/outputs/0/text").asText());
    assertEquals("BLOCKED", json.at("/assessments/0/topicPolicy/topics/0/action").asText());
    assertTrue(json.path("usage").isObject());
  }
}
