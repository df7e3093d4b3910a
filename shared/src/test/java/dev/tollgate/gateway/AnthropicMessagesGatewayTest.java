package dev.tollgate.gateway;

import static dev.tollgate.testing.ConfigItems.scriptedTarget;
import static dev.tollgate.testing.GatewayHarness.json;
import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/messages} through a real gateway: Anthropic requests run the chat pipeline
 * (auth, validation, routing, failover) and come back as Anthropic messages, streams and errors.
 */
class AnthropicMessagesGatewayTest {

  private static final String PATH = "/v1/messages";
  private static final Map<String, String> X_API_KEY =
      Map.of("x-api-key", GatewayHarness.API_KEY, "anthropic-version", "2023-06-01");

  private final GatewayHarness harness =
      new GatewayHarness(
          List.of(
              scriptedTarget("chat", "a").build(),
              scriptedTarget("tools", "t").build(),
              scriptedTarget("limited", "r").build(),
              scriptedTarget("strict", "s").build()));

  private static String request(String model, String extra) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":64," + extra
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private GatewayResponse messages(Map<String, String> headers, String body) {
    return harness.send("POST", PATH, headers, body);
  }

  /** The events of an SSE body, each as {@code name} plus its parsed data, in order. */
  private static List<JsonNode> events(GatewayResponse response) {
    List<JsonNode> events = new ArrayList<>();
    for (String frame : response.bodyText().split("\n\n")) {
      String[] lines = frame.split("\n");
      assertTrue(lines[0].startsWith("event: ") && lines[1].startsWith("data: "), frame);
      JsonNode data = Json.parse(lines[1].substring("data: ".length()));
      assertEquals(lines[0].substring("event: ".length()), data.path("type").asText(), "event name matches its type");
      events.add(data);
    }
    return events;
  }

  /** Answers with a call of {@code get_weather}, as an OpenAI upstream would. */
  private static UpstreamResponse toolCall(UpstreamCall call) {
    ObjectNode completion = (ObjectNode) ScriptedProvider.answer(call).completion();
    ObjectNode choice = (ObjectNode) completion.path("choices").get(0);
    ObjectNode message = (ObjectNode) choice.get("message");
    message.putNull("content");
    message.putArray("tool_calls").addObject()
        .put("id", "call_w1").put("type", "function")
        .putObject("function").put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}");
    choice.put("finish_reason", "tool_calls");
    return new UpstreamResponse(completion, Usage.fromOpenAi(completion.get("usage")));
  }

  @Test
  void aMessageIsAnsweredAsAnAnthropicMessageWithTheGatewayHeaders() {
    GatewayResponse response = messages(X_API_KEY, request("chat", ""));

    assertEquals(200, response.status(), response.bodyText());
    JsonNode message = json(response);
    assertTrue(message.path("id").asText().startsWith("msg_"));
    assertEquals("message", message.path("type").asText());
    assertEquals("chat", message.path("model").asText());
    assertSameJson(
        Json.parse("[{\"type\":\"text\",\"text\":\"" + ScriptedProvider.answerText("a") + "\"}]"), message.get("content"));
    assertEquals("end_turn", message.path("stop_reason").asText());
    assertTrue(message.path("usage").path("input_tokens").asLong() > 0);
    assertEquals("a", response.header(Gateway.TARGET));
    assertNotNull(response.header(Gateway.REQUEST_ID));
    assertNotNull(response.header(Gateway.OVERHEAD_MS));
    JsonNode sent = harness.provider().calls().getFirst().request().body();
    assertEquals(64, sent.path("max_tokens").asInt(), "the upstream got the translated OpenAI request");
  }

  @Test
  void aBearerKeyWorksAsWellAsXApiKey() {
    GatewayResponse response =
        messages(Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY), request("chat", ""));

    assertEquals(200, response.status());
  }

  @Test
  void aMissingOrUnknownKeyIs401InAnthropicsShapeBeforeTheBodyIsRead() {
    GatewayResponse missing = messages(Map.of(), "{\"model\":\"chat\"}");
    GatewayResponse unknown = messages(Map.of("x-api-key", "tg-unknown"), request("chat", ""));

    assertEquals(401, missing.status());
    assertEquals("authentication_error", json(missing).path("error").path("type").asText());
    assertEquals("error", json(missing).path("type").asText());
    assertEquals(401, unknown.status());
    assertEquals("Invalid API key.", json(unknown).path("error").path("message").asText());
    assertTrue(harness.provider().calls().isEmpty());
  }

  @Test
  void aRequestWithoutMaxTokensIs400NamingIt() {
    GatewayResponse response =
        messages(X_API_KEY, "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(400, response.status());
    assertEquals("invalid_request_error", json(response).path("error").path("type").asText());
    assertTrue(json(response).path("error").path("message").asText().contains("'max_tokens'"), response.bodyText());
    assertTrue(harness.provider().calls().isEmpty());
  }

  @Test
  void gatewayErrorsUseAnthropicsTypes() {
    GatewayResponse unknownModel = messages(X_API_KEY, request("no-such-model", ""));
    GatewayResponse wrongMethod = harness.send("GET", PATH, X_API_KEY, "");

    assertEquals(404, unknownModel.status());
    assertEquals("not_found_error", json(unknownModel).path("error").path("type").asText());
    assertEquals(405, wrongMethod.status());
    assertEquals("invalid_request_error", json(wrongMethod).path("error").path("type").asText());
  }

  @Test
  void anUpstreamFailureKeepsItsStatusAndRetryAfterInAnthropicsShape() {
    harness.provider().on("r", ScriptedProvider.rateLimited(7));

    GatewayResponse response = messages(X_API_KEY, request("limited", ""));

    assertEquals(503, response.status());
    assertEquals("7", response.header("retry-after"));
    JsonNode error = json(response);
    assertEquals("error", error.path("type").asText());
    assertEquals("overloaded_error", error.path("error").path("type").asText());
    assertTrue(error.path("error").path("message").asText().contains("'limited'"), response.bodyText());
  }

  @Test
  void anUpstreamRejectionComesBackAsAnInvalidRequest() {
    harness.provider().on("s", ScriptedProvider.httpStatus(400, Map.of(), ScriptedProvider.errorBody("bad schema")));

    GatewayResponse response = messages(X_API_KEY, request("strict", ""));

    assertEquals(400, response.status());
    assertEquals("invalid_request_error", json(response).path("error").path("type").asText());
  }

  @Test
  void aStreamedMessageIsAnsweredWithAnthropicsEventSequence() {
    GatewayResponse plain = messages(X_API_KEY, request("chat", ""));
    GatewayResponse response = messages(X_API_KEY, request("chat", "\"stream\":true,"));

    assertEquals(200, response.status());
    assertTrue(response.header("content-type").startsWith("text/event-stream"));
    List<JsonNode> events = events(response);
    assertEquals(
        List.of(
            "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
            "message_stop"),
        events.stream().map(e -> e.path("type").asText()).toList());
    assertEquals("chat", events.getFirst().path("message").path("model").asText());
    assertEquals(ScriptedProvider.answerText("a"), events.get(2).path("delta").path("text").asText());
    assertSameJson(json(plain).get("usage"), events.get(4).get("usage"));
    assertTrue(harness.provider().calls().getLast().request().includeUsage(), "usage is always asked for");
  }

  @Test
  void toolsGoUpAsFunctionsAndToolCallsComeBackAsToolUse() {
    harness.provider().on("t", AnthropicMessagesGatewayTest::toolCall);
    String tools =
        "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}],"
            + "\"tool_choice\":{\"type\":\"any\"},";

    GatewayResponse response = messages(X_API_KEY, request("tools", tools));

    assertEquals(200, response.status(), response.bodyText());
    assertSameJson(
        Json.parse("[{\"type\":\"tool_use\",\"id\":\"call_w1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]"),
        json(response).get("content"));
    assertEquals("tool_use", json(response).path("stop_reason").asText());
    JsonNode sent = harness.provider().calls().getFirst().request().body();
    assertEquals("get_weather", sent.path("tools").get(0).path("function").path("name").asText());
    assertEquals("required", sent.path("tool_choice").asText());
  }

  @Test
  void aStreamedToolCallIsAToolUseBlockWithItsArguments() {
    harness.provider().on("t", AnthropicMessagesGatewayTest::toolCall);

    List<JsonNode> events = events(messages(X_API_KEY, request("tools", "\"stream\":true,")));

    JsonNode start = events.get(1);
    assertEquals("tool_use", start.path("content_block").path("type").asText());
    assertEquals("call_w1", start.path("content_block").path("id").asText());
    assertEquals("get_weather", start.path("content_block").path("name").asText());
    assertEquals("{\"city\":\"Paris\"}", events.get(2).path("delta").path("partial_json").asText());
    assertEquals("tool_use", events.get(4).path("delta").path("stop_reason").asText());
  }

  @Test
  void aToolResultGoesUpAsAToolMessage() {
    String body =
        """
        {"model":"chat","max_tokens":64,"messages":[
          {"role":"user","content":"Weather in Paris?"},
          {"role":"assistant","content":[{"type":"tool_use","id":"call_w1","name":"get_weather","input":{"city":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_w1","content":"18 C and sunny"}]}]}
        """;

    GatewayResponse response = messages(X_API_KEY, body);

    assertEquals(200, response.status(), response.bodyText());
    JsonNode sent = harness.provider().calls().getFirst().request().body().path("messages");
    assertSameJson(
        Json.parse("{\"role\":\"tool\",\"tool_call_id\":\"call_w1\",\"content\":\"18 C and sunny\"}"), sent.get(2));
  }
}
