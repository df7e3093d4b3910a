package dev.tollgate.gateway;

import static dev.tollgate.testing.ConfigItems.scriptedTarget;
import static dev.tollgate.testing.GatewayHarness.CHAT_PATH;
import static dev.tollgate.testing.GatewayHarness.chatBody;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.tollgate.telemetry.MetricNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway's own answers: endpoints, methods, body limits, and the headers on every response. */
class GatewayTest {

  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY);

  private final GatewayHarness harness =
      new GatewayHarness(
          List.of(
              scriptedTarget("chat", "a").build(),
              ConfigItems.settings().with("maxRequestBytes", 1024).build()));

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("POST", CHAT_PATH, AUTH, chatBody("chat"), 200),
        Arguments.of("POST", CHAT_PATH, Map.of(), chatBody("chat"), 401),
        Arguments.of("POST", CHAT_PATH, AUTH, "{", 400),
        Arguments.of("POST", CHAT_PATH, AUTH, chatBody("missing"), 404),
        Arguments.of("GET", "/v1/nothing-here", Map.of(), "", 404),
        Arguments.of("GET", CHAT_PATH, AUTH, "", 405),
        Arguments.of("GET", "/v1/models", AUTH, "", 200));
  }

  @ParameterizedTest
  @MethodSource("requests")
  void everyResponseCarriesTheRequestIdAndTheGatewayOverhead(
      String method, String path, Map<String, String> headers, String body, int status) {
    GatewayResponse response =
        harness.send(new GatewayRequest(method, path, headers, body.getBytes(StandardCharsets.UTF_8), "req-xyz-42"));

    assertEquals(status, response.status(), response.bodyText());
    assertEquals("req-xyz-42", response.header(Gateway.REQUEST_ID));
    String overhead = response.header(Gateway.OVERHEAD_MS);
    assertNotNull(overhead);
    assertTrue(Double.parseDouble(overhead) >= 0, overhead);
    assertNotNull(response.header(Gateway.TARGET));
    assertEquals("application/json", response.header("content-type"));
  }

  @Test
  void anUnknownPathIsNotFoundEvenWithoutAKey() {
    GatewayResponse response = harness.send("POST", "/v1/embeddings-not-yet", Map.of(), "{}");

    assertEquals(404, response.status());
    assertEquals("unknown_url", errorCode(response));
  }

  @Test
  void theWrongMethodIsNotAllowed() {
    GatewayResponse getChat = harness.send("GET", CHAT_PATH, AUTH, "");
    GatewayResponse postModels = harness.send("POST", "/v1/models", AUTH, "{}");

    assertEquals(405, getChat.status());
    assertEquals("method_not_allowed", errorCode(getChat));
    assertEquals(405, postModels.status());
  }

  @Test
  void aStagePrefixAndATrailingSlashStillReachTheEndpoint() {
    GatewayResponse response = harness.send("POST", "/prod/v1/chat/completions/", AUTH, chatBody("chat"));

    assertEquals(200, response.status(), response.bodyText());
  }

  @Test
  void aBodyOverTheConfiguredLimitIsTooLarge() {
    String padding = "x".repeat(1100);
    String body =
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + padding + "\"}]}";

    GatewayResponse response = harness.chat(body);

    assertEquals(413, response.status());
    assertEquals("request_too_large", errorCode(response));
    assertTrue(harness.provider().calls().isEmpty());
    assertEquals(1024, harness.gateway().maxRequestBytes());
  }

  @Test
  void aBodyAtTheLimitIsRead() {
    String prefix = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"";
    String suffix = "\"}]}";
    String body = prefix + "x".repeat(1024 - prefix.length() - suffix.length()) + suffix;

    assertEquals(1024, body.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(200, harness.chat(body).status());
  }

  @Test
  void invalidJsonIsABadRequest() {
    for (String body : List.of("{\"model\":", "not json", "{} {}", "")) {
      GatewayResponse response = harness.chat(body);

      assertEquals(400, response.status(), body);
      assertEquals("invalid_json", errorCode(response), body);
    }
  }

  @Test
  void aStreamingRequestIsAnsweredAsServerSentEvents() {
    GatewayResponse response =
        harness.chat(
            "{\"model\":\"chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(200, response.status());
    assertTrue(response.header("content-type").startsWith("text/event-stream"));
    assertTrue(response.bodyText().endsWith("data: [DONE]\n\n"));
    assertTrue(response.bodyText().contains("\"usage\":{"), response.bodyText());
  }

  @Test
  void tokensAreCountedOnceTheAnswerIsOverStreamedOrNot() {
    harness.chatWith("chat");
    double afterPlain = harness.metrics().sum(MetricNames.COMPLETION_TOKENS);
    assertTrue(afterPlain > 0, "a whole answer counts its tokens");

    GatewayResponse streamed =
        harness.gateway()
            .handleStreaming(
                new GatewayRequest(
                    "POST",
                    CHAT_PATH,
                    AUTH,
                    "{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                        .getBytes(StandardCharsets.UTF_8),
                    "req-stream"));
    assertTrue(streamed.streamed());
    assertEquals(afterPlain, harness.metrics().sum(MetricNames.COMPLETION_TOKENS), "nothing counted before the body is sent");
    String body = streamed.buffered().bodyText();
    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    assertTrue(harness.metrics().sum(MetricNames.COMPLETION_TOKENS) > afterPlain, "the stream's tokens are counted");
    assertEquals(0, harness.metrics().sum(MetricNames.STREAMS_INTERRUPTED));
  }

  @Test
  void theHealthCheckAnswersWithoutAKeyAndCountsNoRequest() {
    GatewayResponse health = harness.send("GET", Gateway.HEALTH_PATH, Map.of(), "");

    assertEquals(200, health.status(), health.bodyText());
    assertEquals("ok", GatewayHarness.json(health).path("status").asText());
    assertEquals(0, harness.metrics().sum(MetricNames.REQUESTS), "readiness polls are not traffic");
    assertEquals(404, harness.send("POST", Gateway.HEALTH_PATH, Map.of(), "{}").status(), "GET only");
  }
}
