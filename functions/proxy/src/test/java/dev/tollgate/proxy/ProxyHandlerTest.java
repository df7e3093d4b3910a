package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.aws.AuditItems;
import dev.tollgate.gateway.Gateway;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import dev.tollgate.provider.mock.MockProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Feeds every file in events/ through {@link ProxyHandler#handleRequest}, deserialized the way
 * the Lambda runtime does it, against DynamoDB Local seeded with the example config.
 */
class ProxyHandlerTest {

  /** An event file, and what the handler answered to it. */
  record Answer(Path file, JsonNode event, APIGatewayV2HTTPResponse response) {

    JsonNode requestBody() {
      String body = event.path("body").asText();
      if (event.path("isBase64Encoded").asBoolean()) {
        body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      }
      return Json.parse(body);
    }

    JsonNode json() {
      assertEquals("application/json", response.getHeaders().get("content-type"), file + ": content-type");
      return Json.parse(response.getBody());
    }

    void assertError(int status, String type, String code) {
      assertEquals(status, response.getStatusCode(), file + ": status, body " + response.getBody());
      JsonNode error = json().path("error");
      assertEquals(type, error.path("type").asText(), file + ": error.type");
      assertEquals(code, error.path("code").asText(), file + ": error.code");
      assertFalse(error.path("message").asText().isBlank(), file + ": error.message");
      assertEquals("none", response.getHeaders().get(Gateway.TARGET), file + ": no target answers an error");
    }
  }

  /** What each event must be answered with; every file in events/ needs an entry. */
  private static final Map<String, Consumer<Answer>> EXPECTED =
      Map.of(
          "chat.json", ProxyHandlerTest::isEchoCompletion,
          "chat-stream.json", ProxyHandlerTest::isCompleteSseStream,
          "models.json", ProxyHandlerTest::listsTheMockModel,
          "bad-key.json", a -> a.assertError(401, "authentication_error", "invalid_api_key"),
          "bad-json.json", a -> a.assertError(400, "invalid_request_error", "invalid_json"),
          "unknown-model.json", ProxyHandlerTest::namesTheUnknownModel,
          "messages.json", ProxyHandlerTest::isAnthropicMessage,
          "embeddings.json", ProxyHandlerTest::isEmbeddingsList);

  private static ProxyHandler handler;
  private static ProxyTestBed bed;

  @BeforeAll
  static void startFunction() {
    bed = ProxyTestBed.withExampleConfig();
    handler = new ProxyHandler(bed.environment());
  }

  @Test
  void everyEventFileHasAnExpectationAndOneIsBase64Encoded() {
    List<String> files = ProxyTestBed.eventFiles().stream().map(f -> f.getFileName().toString()).toList();
    assertEquals(new TreeSet<>(EXPECTED.keySet()), new TreeSet<>(files), "events/*.json and EXPECTED");
    assertTrue(
        ProxyTestBed.eventFiles().stream().anyMatch(f -> ProxyTestBed.readJson(f).path("isBase64Encoded").asBoolean()),
        "one event keeps the isBase64Encoded path tested");
  }

  @TestFactory
  Stream<DynamicTest> everyEventIsAnsweredAsExpected() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : ProxyTestBed.eventFiles()) {
      Consumer<Answer> expectation = EXPECTED.get(file.getFileName().toString());
      if (expectation != null) {
        tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> expectation.accept(invoke(file))));
      }
    }
    return tests.stream();
  }

  private static Answer invoke(Path file) {
    APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent(file.toString());
    APIGatewayV2HTTPResponse response = handler.handleRequest(event, ProxyTestBed.context("lambda-" + file.getFileName()));
    Answer answer = new Answer(file, ProxyTestBed.readJson(file), response);
    hasGatewayHeaders(answer);
    leftItsAuditRecord(answer);
    return answer;
  }

  /** Every request, answered or not, leaves one record under its request id in the audit table. */
  private static void leftItsAuditRecord(Answer answer) {
    String requestId = answer.response().getHeaders().get(Gateway.REQUEST_ID);
    var item =
        bed.dynamo()
            .getItem(GetItemRequest.builder().tableName(bed.auditTable())
                .key(Map.of(AuditItems.REQUEST_ID, AttributeValue.fromS(requestId))).consistentRead(true).build())
            .item();
    assertFalse(item == null || item.isEmpty(), answer.file() + ": no audit record for " + requestId);
    AuditRecord record = AuditItems.fromItem(item);
    assertEquals(answer.response().getStatusCode(), record.status(), answer.file() + ": the record's status");
    assertEquals(answer.response().getStatusCode() == 401 ? AuditRecord.NO_CONSUMER : "events", record.consumer(), answer.file().toString());
  }

  /** Every answer carries the API Gateway request id, the target and the gateway's own time. */
  private static void hasGatewayHeaders(Answer answer) {
    Map<String, String> headers = answer.response().getHeaders();
    assertEquals(
        answer.event().path("requestContext").path("requestId").asText(),
        headers.get(Gateway.REQUEST_ID),
        answer.file() + ": x-request-id is API Gateway's request id");
    assertTrue(headers.containsKey(Gateway.TARGET), answer.file() + ": x-tollgate-target");
    String overhead = headers.get(Gateway.OVERHEAD_MS);
    if (overhead == null || !overhead.matches("\\d+\\.\\d{3}")) {
      fail(answer.file() + ": x-tollgate-overhead-ms should be milliseconds with 3 decimals, was " + overhead);
    }
    assertFalse(answer.response().getIsBase64Encoded(), answer.file() + ": bodies are text");
  }

  private static void isEchoCompletion(Answer answer) {
    assertEquals(200, answer.response().getStatusCode(), answer.response().getBody());
    assertEquals("mock-echo", answer.response().getHeaders().get(Gateway.TARGET));
    JsonNode completion = answer.json();
    assertEquals("chat.completion", completion.path("object").asText());
    // The alias is "mock"; the answer names the upstream model, as a real upstream's does.
    assertEquals(MockProvider.SPEC.defaultModel(), completion.path("model").asText());
    JsonNode choice = completion.path("choices").path(0);
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertEquals(lastUserText(answer.requestBody()), choice.path("message").path("content").asText());
    assertEquals("stop", choice.path("finish_reason").asText());
    JsonNode usage = completion.path("usage");
    assertTrue(usage.path("prompt_tokens").asLong() > 0, "usage: " + usage);
    assertEquals(
        usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong(),
        usage.path("total_tokens").asLong());
  }

  private static void isAnthropicMessage(Answer answer) {
    assertEquals(200, answer.response().getStatusCode(), answer.response().getBody());
    JsonNode message = answer.json();
    assertEquals("message", message.path("type").asText());
    assertEquals("mock", message.path("model").asText(), "Anthropic clients get their alias back");
    assertEquals("text", message.path("content").path(0).path("type").asText());
    assertEquals(
        answer.requestBody().path("messages").path(0).path("content").asText(),
        message.path("content").path(0).path("text").asText());
    assertEquals("end_turn", message.path("stop_reason").asText());
    assertTrue(message.path("usage").path("input_tokens").asLong() > 0, message.toString());
  }

  private static void isEmbeddingsList(Answer answer) {
    assertEquals(200, answer.response().getStatusCode(), answer.response().getBody());
    JsonNode list = answer.json();
    assertEquals("list", list.path("object").asText());
    assertEquals(2, list.path("data").size());
    for (int i = 0; i < 2; i++) {
      assertEquals(i, list.path("data").path(i).path("index").asInt());
      assertEquals(8, list.path("data").path(i).path("embedding").size(), "dimensions honoured");
    }
    assertTrue(list.path("usage").path("prompt_tokens").asLong() > 0, list.toString());
  }

  private static void isCompleteSseStream(Answer answer) {
    APIGatewayV2HTTPResponse response = answer.response();
    assertEquals(200, response.getStatusCode(), response.getBody());
    assertEquals("text/event-stream", response.getHeaders().get("content-type").split(";")[0].trim());
    assertEquals("mock-echo", response.getHeaders().get(Gateway.TARGET));
    List<String> data =
        response.getBody().lines().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
    assertTrue(response.getBody().endsWith("data: [DONE]\n\n"), "ends with data: [DONE]: " + response.getBody());
    assertEquals("[DONE]", data.getLast());
    StringBuilder content = new StringBuilder();
    String finishReason = null;
    JsonNode usage = null;
    for (String chunkText : data.subList(0, data.size() - 1)) {
      JsonNode chunk = Json.parse(chunkText);
      assertEquals("chat.completion.chunk", chunk.path("object").asText(), chunkText);
      for (JsonNode choice : chunk.path("choices")) {
        content.append(choice.path("delta").path("content").asText(""));
        if (choice.hasNonNull("finish_reason")) {
          finishReason = choice.path("finish_reason").asText();
        }
      }
      if (chunk.hasNonNull("usage")) {
        usage = chunk.get("usage");
        assertTrue(chunk.path("choices").isEmpty(), "the usage chunk has no choices: " + chunkText);
      }
    }
    assertEquals(lastUserText(answer.requestBody()), content.toString(), "the deltas add up to the echo");
    assertEquals("stop", finishReason);
    assertTrue(usage != null && usage.path("total_tokens").asLong() > 0, "include_usage sends a usage chunk");
  }

  private static void listsTheMockModel(Answer answer) {
    assertEquals(200, answer.response().getStatusCode(), answer.response().getBody());
    JsonNode list = answer.json();
    assertEquals("list", list.path("object").asText());
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(model -> ids.add(model.path("id").asText()));
    assertEquals(List.of("mock"), ids);
    assertEquals("model", list.path("data").path(0).path("object").asText());
  }

  private static void namesTheUnknownModel(Answer answer) {
    answer.assertError(404, "invalid_request_error", "model_not_found");
    String model = answer.requestBody().path("model").asText();
    assertTrue(
        answer.json().path("error").path("message").asText().contains("'" + model + "'"),
        "the message names the model from the decoded body");
  }

  private static String lastUserText(JsonNode request) {
    String text = null;
    for (JsonNode message : request.path("messages")) {
      if (message.path("role").asText().equals("user")) {
        text = message.path("content").asText();
      }
    }
    return text;
  }
}
