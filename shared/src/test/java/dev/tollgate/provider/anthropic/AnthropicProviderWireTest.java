package dev.tollgate.provider.anthropic;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link AnthropicProvider} puts on the wire (URL, headers, the translated Messages body)
 * and what it makes of Anthropic's documented answers and errors.
 */
class AnthropicProviderWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final Secret SECRET = new Secret("sk-ant-api03-wire-secret-4711");
  private static final MutableClock CLOCK = MutableClock.startingAt("2026-03-04T05:06:07Z");
  private static final AnthropicProvider PROVIDER = new AnthropicProvider(new UpstreamHttp(), CLOCK);

  /** A chat as a client sends it: system, several turns, an image, tools and a tool result. */
  private static ObjectNode clientBody() {
    return (ObjectNode)
        Json.parse(
            """
            {"model": "claude", "stream": false,
             "messages": [
               {"role": "system", "content": "You are a weather bot."},
               {"role": "developer", "content": [{"type": "text", "text": "Answer in metric units."}]},
               {"role": "user", "content": [
                 {"type": "text", "text": "What is this and how warm is it in Paris?"},
                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}},
                 {"type": "image_url", "image_url": {"url": "https://example.com/paris.jpg"}}]},
               {"role": "assistant", "content": "Let me check.", "tool_calls": [
                 {"id": "toolu_01A", "type": "function",
                  "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\",\\"days\\":1}"}}]},
               {"role": "tool", "tool_call_id": "toolu_01A", "content": "18 C, sunny"},
               {"role": "user", "content": "And tomorrow?"}],
             "tools": [{"type": "function", "function": {
               "name": "get_weather", "description": "Current weather of a city",
               "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                              "required": ["city"]}}}],
             "tool_choice": "auto",
             "temperature": 0.3, "top_p": 0.9, "max_completion_tokens": 512,
             "stop": ["END"], "user": "user-42",
             "seed": 7, "logprobs": false, "response_format": {"type": "json_object"}}
            """);
  }

  /** The Messages body Anthropic must receive for {@link #clientBody()}. */
  private static final String EXPECTED_BODY =
      """
      {"model": "claude-sonnet-4-5",
       "max_tokens": 512,
       "messages": [
         {"role": "user", "content": [
           {"type": "text", "text": "What is this and how warm is it in Paris?"},
           {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
           {"type": "image", "source": {"type": "url", "url": "https://example.com/paris.jpg"}}]},
         {"role": "assistant", "content": [
           {"type": "text", "text": "Let me check."},
           {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Paris", "days": 1}}]},
         {"role": "user", "content": [
           {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "18 C, sunny"},
           {"type": "text", "text": "And tomorrow?"}]}],
       "system": "You are a weather bot.\\n\\nAnswer in metric units.",
       "temperature": 0.3, "top_p": 0.9,
       "stop_sequences": ["END"],
       "tools": [{"name": "get_weather", "description": "Current weather of a city",
         "input_schema": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                          "required": ["city"]}}],
       "tool_choice": {"type": "auto"},
       "metadata": {"user_id": "user-42"}}
      """;

  private static Target target(Map<String, String> options) {
    return UpstreamCalls.target("anthropic", "claude-sonnet-4-5", FakeUpstream.baseUrl(upstream) + "/v1", options);
  }

  private static UpstreamResponse complete(ObjectNode body) throws UpstreamFailure {
    return PROVIDER.complete(UpstreamCalls.call(target(Map.of()), body, Optional.of(SECRET)));
  }

  private static void stub(ResponseDefinitionBuilder response) {
    upstream.stubFor(post(urlPathEqualTo("/v1/messages")).willReturn(response));
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size(), "requests the upstream received");
    return requests.getFirst();
  }

  @Test
  void postsTheTranslatedMessagesBodyWithAnthropicsHeaders() throws UpstreamFailure {
    stub(AnthropicBodies.answers("Sunny."));

    complete(clientBody());

    LoggedRequest sent = onlyRequest();
    assertEquals("POST", sent.getMethod().getName());
    assertEquals("/v1/messages", sent.getUrl());
    assertEquals(SECRET.value(), sent.getHeader("x-api-key"));
    assertEquals("2023-06-01", sent.getHeader("anthropic-version"));
    assertFalse(sent.containsHeader("Authorization"));
    assertEquals("application/json", sent.getHeader("Content-Type"));
    assertEquals("req-wire-1", sent.getHeader("x-request-id"));
    assertEquals(Json.parse(EXPECTED_BODY), Json.parse(sent.getBodyAsString()));
  }

  @Test
  void aTargetMayPinAnotherAnthropicVersion() throws UpstreamFailure {
    stub(AnthropicBodies.answers("ok"));

    PROVIDER.complete(
        UpstreamCalls.call(
            target(Map.of(AnthropicProvider.VERSION_OPTION, "2024-10-22")), clientBody(), Optional.of(SECRET)));

    assertEquals("2024-10-22", onlyRequest().getHeader("anthropic-version"));
  }

  @Test
  void aTextAnswerBecomesAChatCompletion() throws UpstreamFailure {
    ObjectNode message = AnthropicBodies.message("end_turn", 25, 7);
    message.withArray("content").addObject().put("type", "text").put("text", "Sunny, ");
    message.withArray("content").addObject().put("type", "text").put("text", "18 degrees.");
    stub(FakeUpstream.json(200, message));

    UpstreamResponse response = complete(clientBody());

    ObjectNode expected =
        (ObjectNode)
            Json.parse(
                """
                {"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "object": "chat.completion",
                 "created": %d, "model": "claude-sonnet-4-5-20250929",
                 "choices": [{"index": 0,
                   "message": {"role": "assistant", "content": "Sunny, 18 degrees.", "refusal": null},
                   "logprobs": null, "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 25, "completion_tokens": 7, "total_tokens": 32,
                           "prompt_tokens_details": {"cached_tokens": 0}}}
                """
                    .formatted(CLOCK.instant().getEpochSecond()));
    assertEquals(expected, Json.parse(Json.text(response.completion())));
    assertEquals(new Usage(25, 7, 32), response.usage());
  }

  @Test
  void toolUseBlocksBecomeToolCallsWithJsonStringArguments() throws UpstreamFailure {
    ObjectNode message = AnthropicBodies.message("tool_use", 40, 22);
    message.withArray("content").addObject().put("type", "text").put("text", "Checking.");
    ObjectNode use = message.withArray("content").addObject();
    use.put("type", "tool_use").put("id", "toolu_01B").put("name", "get_weather");
    use.putObject("input").put("city", "Lyon").put("days", 2);
    stub(FakeUpstream.json(200, message));

    UpstreamResponse response = complete(clientBody());

    ObjectNode reply = (ObjectNode) response.completion().at("/choices/0/message");
    assertEquals("Checking.", reply.path("content").asText());
    assertEquals(1, reply.path("tool_calls").size());
    ObjectNode call = (ObjectNode) reply.path("tool_calls").get(0);
    assertEquals("toolu_01B", call.path("id").asText());
    assertEquals("function", call.path("type").asText());
    assertEquals("get_weather", call.at("/function/name").asText());
    assertTrue(call.at("/function/arguments").isTextual(), "arguments are a JSON string, as OpenAI sends them");
    assertEquals(Json.parse("{\"city\":\"Lyon\",\"days\":2}"), Json.parse(call.at("/function/arguments").asText()));
    assertEquals("tool_calls", response.completion().at("/choices/0/finish_reason").asText());
  }

  @Test
  void aPureToolCallHasNullContentAsOpenAiAnswersIt() throws UpstreamFailure {
    ObjectNode message = AnthropicBodies.message("tool_use", 40, 22);
    message.withArray("content").addObject().put("type", "tool_use").put("id", "toolu_01C").put("name", "now")
        .putObject("input");
    stub(FakeUpstream.json(200, message));

    ObjectNode reply = (ObjectNode) complete(clientBody()).completion().at("/choices/0/message");

    assertTrue(reply.path("content").isNull(), reply.toString());
    assertEquals("{}", reply.at("/tool_calls/0/function/arguments").asText());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "end_turn, stop",
    "stop_sequence, stop",
    "max_tokens, length",
    "tool_use, tool_calls",
    "refusal, content_filter",
    "pause_turn, stop",
  })
  void stopReasonsBecomeFinishReasons(String stopReason, String finishReason) throws UpstreamFailure {
    stub(FakeUpstream.json(200, AnthropicBodies.textMessage("x", stopReason, 1, 1)));

    assertEquals(finishReason, complete(clientBody()).completion().at("/choices/0/finish_reason").asText());
  }

  @Test
  void cachedInputCountsAsPromptTokensAndIsReportedAsCached() throws UpstreamFailure {
    ObjectNode message = AnthropicBodies.textMessage("ok", "end_turn", 20, 9);
    ((ObjectNode) message.get("usage")).put("cache_read_input_tokens", 1000).put("cache_creation_input_tokens", 200);
    stub(FakeUpstream.json(200, message));

    UpstreamResponse response = complete(clientBody());

    assertEquals(new Usage(1220, 9, 1229, 1000), response.usage());
    assertEquals(
        Json.parse(
            "{\"prompt_tokens\":1220,\"completion_tokens\":9,\"total_tokens\":1229,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1000}}"),
        Json.parse(Json.text(response.completion().get("usage"))));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(AnthropicBodies.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit")
            .withHeader("retry-after", "7"), FailureKind.RATE_LIMITED, 429, 7),
        Arguments.of(AnthropicBodies.overloaded(), FailureKind.SERVER_ERROR, 529, 0),
        Arguments.of(AnthropicBodies.error(500, "api_error", "Internal server error"), FailureKind.SERVER_ERROR, 500, 0),
        Arguments.of(AnthropicBodies.error(401, "authentication_error", "invalid x-api-key"), FailureKind.AUTH_REJECTED, 401, 0),
        Arguments.of(AnthropicBodies.error(403, "permission_error", "no access to this model"), FailureKind.AUTH_REJECTED, 403, 0),
        Arguments.of(AnthropicBodies.error(404, "not_found_error", "model: claude-x"), FailureKind.UPSTREAM_NOT_FOUND, 404, 0));
  }

  @ParameterizedTest(name = "{1} from HTTP {2}")
  @MethodSource("errors")
  void errorsAreClassified(ResponseDefinitionBuilder answer, FailureKind kind, int status, long retryAfter) {
    stub(answer);

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> complete(clientBody()));

    assertEquals(kind, failure.kind());
    assertEquals(status, failure.status());
    assertEquals(retryAfter, failure.retryAfterSeconds());
    assertTrue(failure.clientError().isEmpty());
  }

  @Test
  void aRejectedRequestCarriesAnthropicsMessageWithTheKeyRedacted() {
    stub(AnthropicBodies.error(400, "invalid_request_error", "temperature: range is 0 to 1 (key " + SECRET.value() + ")"));

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> complete(clientBody()));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    ApiError error = failure.clientError().orElseThrow();
    assertEquals(400, error.status());
    assertTrue(error.message().contains("temperature: range is 0 to 1"), error.message());
    assertTrue(error.message().contains("[REDACTED]"), error.message());
    assertFalse(error.message().contains(SECRET.value()), error.message());
  }

  static Stream<Arguments> malformedAnswers() {
    return Stream.of(
        Arguments.of("empty", aResponse().withStatus(200).withBody("")),
        Arguments.of("truncated JSON", aResponse().withStatus(200).withBody("{\"type\":\"message\",\"content\":[")),
        Arguments.of("an OpenAI completion", FakeUpstream.answers("wrong format")),
        Arguments.of("HTML", aResponse().withStatus(200).withHeader("content-type", "text/html").withBody("<html></html>")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedAnswers")
  void aMalformedSuccessIsABadResponse(String name, ResponseDefinitionBuilder answer) {
    stub(answer);

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> complete(clientBody()));

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
  }

  @Test
  void moreThanOneChoiceIsRefusedBeforeCallingAnthropic() {
    stub(AnthropicBodies.answers("never asked"));
    ObjectNode body = clientBody();
    body.put("n", 3);

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> complete(body));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    ApiError error = failure.clientError().orElseThrow();
    assertEquals(400, error.status());
    assertEquals("n", error.param());
    assertTrue(error.message().contains("'n'"), error.message());
    assertTrue(upstream.findAll(anyRequestedFor(anyUrl())).isEmpty(), "no upstream call");
  }
}
