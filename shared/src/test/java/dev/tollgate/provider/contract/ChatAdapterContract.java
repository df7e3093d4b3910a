package dev.tollgate.provider.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.provider.contract.RequestView.Image;
import dev.tollgate.provider.contract.RequestView.Tool;
import dev.tollgate.provider.contract.RequestView.ToolUse;
import dev.tollgate.provider.contract.RequestView.Turn;
import dev.tollgate.provider.contract.WireScript.Tokens;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.UpstreamCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one contract every chat adapter keeps: an OpenAI-shaped request goes out in the provider's
 * format and its answers (whole, streamed, failed, malformed) come back in OpenAI's, against a
 * real loopback server speaking the provider's wire format. A subclass gives the adapter, a
 * target on the fake's URL, the fake itself, a {@link WireScript} that says each answer
 * natively and a {@link RequestView} that finds the translated fields in what the fake received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ChatAdapterContract {

  protected static final Secret SECRET = new Secret("contract-key-7Hq2Zx9Lm4");

  private FakeServer server;
  private Provider provider;
  private Target target;

  /** Starts the provider's fake upstream on loopback. */
  protected abstract FakeServer startServer();

  protected abstract Provider provider();

  /** A target of this adapter whose base URL points into {@code rootUrl}. */
  protected abstract Target target(String rootUrl);

  protected abstract WireScript wire();

  protected abstract RequestView read(RecordedRequest request);

  /**
   * Whether the provider documents a retry hint ({@code Retry-After} or the like) on its rate-limit
   * answers, so the adapter must pass it on. A provider that documents none (Bedrock) says no: its
   * rate limit is still checked, only the hint is not.
   */
  protected boolean sendsRetryAfter() {
    return true;
  }

  @BeforeAll
  final void startFake() {
    server = startServer();
    provider = provider();
    target = target(server.rootUrl());
  }

  @AfterAll
  final void stopFake() {
    server.close();
  }

  @BeforeEach
  final void resetFake() {
    server.reset();
  }

  // ---- requests as clients send them

  private static ObjectNode chat(String messagesJson) {
    return (ObjectNode) Json.parse("{\"model\": \"alias\", \"messages\": " + messagesJson + "}");
  }

  private static ObjectNode hello() {
    return chat("[{\"role\": \"user\", \"content\": \"Hello\"}]");
  }

  private static ObjectNode streaming(ObjectNode body) {
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    return body;
  }

  private static final String WEATHER_PARAMETERS =
      "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}, \"required\": [\"city\"]}";

  private static ObjectNode withWeatherTool(ObjectNode body) {
    ObjectNode function = body.putArray("tools").addObject().put("type", "function").putObject("function");
    function.put("name", "get_weather").put("description", "Current weather of a city");
    function.set("parameters", Json.parse(WEATHER_PARAMETERS));
    return body;
  }

  // ---- calling the adapter

  private UpstreamResponse complete(ObjectNode body) throws UpstreamFailure {
    return provider.complete(UpstreamCalls.call(target, body, Optional.of(SECRET)));
  }

  private record Streamed(List<ObjectNode> chunks, Usage usage) {

    List<String> contentPieces() {
      List<String> pieces = new ArrayList<>();
      for (ObjectNode chunk : chunks) {
        JsonNode content = chunk.at("/choices/0/delta/content");
        if (content.isTextual() && !content.asText().isEmpty()) {
          pieces.add(content.asText());
        }
      }
      return pieces;
    }
  }

  private Streamed stream(ObjectNode body) throws UpstreamFailure {
    List<ObjectNode> chunks = new ArrayList<>();
    try (ChunkStream stream = provider.stream(UpstreamCalls.call(target, streaming(body), Optional.of(SECRET)))) {
      for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
        chunks.add(chunk.get());
      }
      return new Streamed(chunks, stream.usage());
    }
  }

  /** Reads until the stream fails, keeping what came before. */
  private UpstreamFailure streamFailure(ObjectNode body, List<ObjectNode> before) {
    return assertThrows(
        UpstreamFailure.class,
        () -> {
          try (ChunkStream stream =
              provider.stream(UpstreamCalls.call(target, streaming(body), Optional.of(SECRET)))) {
            for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
              before.add(chunk.get());
            }
          }
        });
  }

  private RequestView onlyRequest() {
    List<RecordedRequest> received = server.received();
    assertEquals(1, received.size(), "requests the fake upstream received");
    return read(received.getFirst());
  }

  private static Usage usage(Tokens tokens) {
    return new Usage(
        tokens.promptTokens(),
        tokens.completionTokens(),
        tokens.promptTokens() + tokens.completionTokens(),
        tokens.cachedTokens());
  }

  // ---- whole answers

  @Test
  void aPlainTextAnswer() throws UpstreamFailure {
    server.answerWith(wire().text("Hi there.", new Tokens(12, 5, 0)));

    UpstreamResponse response = complete(hello());

    RequestView sent = onlyRequest();
    assertEquals(target.model(), sent.model());
    assertFalse(sent.streams());
    assertEquals(List.of(new Turn("user", "Hello")), sent.turns());
    assertEquals(Optional.empty(), sent.system());
    ObjectNode completion = response.completion();
    assertEquals("chat.completion", completion.path("object").asText());
    assertFalse(completion.path("id").asText().isEmpty());
    assertEquals("assistant", completion.at("/choices/0/message/role").asText());
    assertEquals("Hi there.", completion.at("/choices/0/message/content").asText());
    assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
    assertEquals(new Usage(12, 5, 17), response.usage());
    assertEquals(17, completion.at("/usage/total_tokens").asLong());
  }

  @Test
  void aConversationKeepsItsTurnsInOrder() throws UpstreamFailure {
    server.answerWith(wire().text("Because it was two-tired.", new Tokens(30, 6, 0)));

    complete(
        chat(
            """
            [{"role": "user", "content": "Hi"},
             {"role": "assistant", "content": "Hello! How can I help?"},
             {"role": "user", "content": [{"type": "text", "text": "Why did the bicycle fall over?"}]}]
            """));

    assertEquals(
        List.of(
            new Turn("user", "Hi"),
            new Turn("assistant", "Hello! How can I help?"),
            new Turn("user", "Why did the bicycle fall over?")),
        onlyRequest().turns());
  }

  @Test
  void theSystemPromptGoesWhereTheProviderTakesIt() throws UpstreamFailure {
    server.answerWith(wire().text("Yes.", new Tokens(20, 1, 0)));

    complete(
        chat(
            """
            [{"role": "system", "content": "Answer in one word."},
             {"role": "user", "content": "Is water wet?"}]
            """));

    RequestView sent = onlyRequest();
    assertEquals(Optional.of("Answer in one word."), sent.system());
    assertEquals(List.of(new Turn("user", "Is water wet?")), sent.turns());
  }

  @Test
  void toolsAndToolHistoryAreTranslatedAndAToolCallComesBack() throws UpstreamFailure {
    server.answerWith(wire().toolCall("get_weather", "{\"city\":\"Lyon\"}", new Tokens(80, 15, 0)));
    ObjectNode body =
        withWeatherTool(
            chat(
                """
                [{"role": "user", "content": "Weather in Paris?"},
                 {"role": "assistant", "content": null, "tool_calls": [{"id": "call_prev1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                 {"role": "tool", "tool_call_id": "call_prev1", "content": "18 C, sunny"},
                 {"role": "user", "content": "And in Lyon?"}]
                """));

    UpstreamResponse response = complete(body);

    RequestView sent = onlyRequest();
    assertEquals(
        List.of(new Tool("get_weather", "Current weather of a city", Json.parse(WEATHER_PARAMETERS))), sent.tools());
    assertEquals(List.of(new ToolUse("get_weather", Json.parse("{\"city\":\"Paris\"}"))), sent.toolCalls());
    assertEquals(List.of("18 C, sunny"), sent.toolResults());
    JsonNode choice = response.completion().at("/choices/0");
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    JsonNode calls = choice.at("/message/tool_calls");
    assertEquals(1, calls.size(), choice.toString());
    assertFalse(calls.at("/0/id").asText().isEmpty(), "a tool call has an id to answer it by");
    assertEquals("function", calls.at("/0/type").asText());
    assertEquals("get_weather", calls.at("/0/function/name").asText());
    assertTrue(calls.at("/0/function/arguments").isTextual(), "arguments are a JSON string, as OpenAI sends them");
    assertEquals(Json.parse("{\"city\":\"Lyon\"}"), Json.parse(calls.at("/0/function/arguments").asText()));
  }

  @Test
  void anImagePartIsSentInline() throws UpstreamFailure {
    server.answerWith(wire().text("A red dot.", new Tokens(300, 4, 0)));

    complete(
        chat(
            """
            [{"role": "user", "content": [
               {"type": "text", "text": "What is this?"},
               {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="}}]}]
            """));

    RequestView sent = onlyRequest();
    assertEquals(List.of(new Image("image/png", "iVBORw0KGgoAAAANSUhEUg==")), sent.images());
    assertEquals(List.of(new Turn("user", "What is this?")), sent.turns());
  }

  @Test
  void usageCountsCachedPromptTokensInThePrompt() throws UpstreamFailure {
    Tokens tokens = new Tokens(1200, 30, 1000);
    server.answerWith(wire().text("ok", tokens));

    UpstreamResponse response = complete(hello());

    assertEquals(usage(tokens), response.usage());
    assertEquals(1230, response.completion().at("/usage/total_tokens").asLong());
    assertEquals(1000, response.completion().at("/usage/prompt_tokens_details/cached_tokens").asLong());
  }

  // ---- streamed answers

  @Test
  void aStreamedTextAnswerArrivesInOrderWithRoleFirstAndUsageAtTheEnd() throws UpstreamFailure {
    List<String> pieces = List.of("The sky ", "is blue ", "because of Rayleigh scattering.");
    Tokens tokens = new Tokens(40, 9, 16);
    server.answerWith(wire().streamedText(pieces, tokens));

    Streamed streamed = stream(hello());

    assertTrue(onlyRequest().streams(), "the upstream was asked to stream");
    List<ObjectNode> chunks = streamed.chunks();
    assertFalse(chunks.isEmpty());
    assertEquals("assistant", chunks.getFirst().at("/choices/0/delta/role").asText(), chunks.getFirst().toString());
    assertEquals(pieces, streamed.contentPieces());
    assertSameStream(chunks);
    assertFinishedOnceAtTheEnd(chunks, "stop");
    assertEquals(usage(tokens), streamed.usage());
  }

  @Test
  void aStreamedToolCallsArgumentsConcatenateToItsJson() throws UpstreamFailure {
    List<String> arguments = List.of("{\"ci", "ty\": \"Ly", "on\"}");
    server.answerWith(wire().streamedToolCall("get_weather", arguments, new Tokens(80, 15, 0)));

    Streamed streamed = stream(withWeatherTool(hello()));

    StringBuilder joined = new StringBuilder();
    ObjectNode first = null;
    for (ObjectNode chunk : streamed.chunks()) {
      for (JsonNode call : chunk.at("/choices/0/delta/tool_calls")) {
        assertEquals(0, call.path("index").asInt(-1), "one call, index 0 throughout: " + call);
        if (first == null) {
          first = (ObjectNode) call;
        }
        joined.append(call.at("/function/arguments").asText(""));
      }
    }
    assertNotNull(first, "a tool-call delta arrived");
    assertFalse(first.path("id").asText().isEmpty(), "the first delta carries the call's id: " + first);
    assertEquals("function", first.path("type").asText());
    assertEquals("get_weather", first.at("/function/name").asText());
    assertEquals(Json.parse("{\"city\": \"Lyon\"}"), Json.parse(joined.toString()));
    assertSameStream(streamed.chunks());
    assertFinishedOnceAtTheEnd(streamed.chunks(), "tool_calls");
  }

  @Test
  void aStreamCutHalfWayFailsAsANetworkErrorAfterWhatArrived() {
    List<String> pieces = List.of("One, ", "two, ");
    server.answerWith(wire().cutStream(pieces));
    List<ObjectNode> before = new ArrayList<>();

    UpstreamFailure failure = streamFailure(hello(), before);

    assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
    assertEquals(pieces, new Streamed(before, Usage.NONE).contentPieces());
  }

  @Test
  void aMalformedStreamEventIsABadResponse() {
    server.answerWith(wire().malformedStreamEvent(List.of("Fine so far. ")));
    List<ObjectNode> before = new ArrayList<>();

    UpstreamFailure failure = streamFailure(hello(), before);

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
    assertEquals(List.of("Fine so far. "), new Streamed(before, Usage.NONE).contentPieces());
  }

  @Test
  void aMalformedAnswerIsABadResponse() {
    server.answerWith(wire().malformedAnswer());

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> complete(hello()));

    assertEquals(FailureKind.BAD_RESPONSE, failure.kind());
  }

  private static void assertSameStream(List<ObjectNode> chunks) {
    ObjectNode first = chunks.getFirst();
    assertFalse(first.path("id").asText().isEmpty());
    assertTrue(first.path("created").asLong() > 0, first.toString());
    for (ObjectNode chunk : chunks) {
      assertEquals("chat.completion.chunk", chunk.path("object").asText(), chunk.toString());
      assertEquals(first.get("id"), chunk.get("id"));
      assertEquals(first.get("created"), chunk.get("created"));
      assertEquals(first.get("model"), chunk.get("model"));
      assertFalse(chunk.has("usage"), "usage goes through usage(), not the chunks: " + chunk);
      assertEquals(1, chunk.path("choices").size(), chunk.toString());
    }
  }

  private static void assertFinishedOnceAtTheEnd(List<ObjectNode> chunks, String finishReason) {
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertTrue(chunks.get(i).at("/choices/0/finish_reason").isNull(), chunks.get(i).toString());
    }
    assertEquals(finishReason, chunks.getLast().at("/choices/0/finish_reason").asText(), chunks.getLast().toString());
  }

  // ---- errors, whole and streamed

  @ParameterizedTest(name = "streamed: {0}")
  @ValueSource(booleans = {false, true})
  void aBadRequestIsRejectedWithTheProvidersMessage(boolean streamed) {
    server.answerWith(wire().error(400, "max_tokens: must be at most 8192", 0));

    UpstreamFailure failure = fail(streamed);

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    ApiError error = failure.clientError().orElseThrow();
    assertEquals(400, error.status());
    assertTrue(error.message().contains("max_tokens: must be at most 8192"), error.message());
  }

  @ParameterizedTest(name = "streamed: {0}")
  @ValueSource(booleans = {false, true})
  void aRejectedKeyIsAnAuthFailure(boolean streamed) {
    server.answerWith(wire().error(401, "invalid api key", 0));

    UpstreamFailure failure = fail(streamed);

    assertEquals(FailureKind.AUTH_REJECTED, failure.kind());
    assertTrue(failure.clientError().isEmpty());
  }

  @ParameterizedTest(name = "streamed: {0}")
  @ValueSource(booleans = {false, true})
  void aRateLimitCarriesItsRetryAfter(boolean streamed) {
    server.answerWith(wire().error(429, "rate limit exceeded", 7));

    UpstreamFailure failure = fail(streamed);

    assertEquals(FailureKind.RATE_LIMITED, failure.kind());
    if (sendsRetryAfter()) {
      assertEquals(7, failure.retryAfterSeconds());
    }
  }

  @ParameterizedTest(name = "streamed: {0}")
  @ValueSource(booleans = {false, true})
  void aServerErrorLetsAnotherTargetTry(boolean streamed) {
    server.answerWith(wire().error(500, "internal error", 0));

    UpstreamFailure failure = fail(streamed);

    assertEquals(FailureKind.SERVER_ERROR, failure.kind());
    assertTrue(failure.kind().triesNextTarget());
  }

  private UpstreamFailure fail(boolean streamed) {
    return streamed
        ? assertThrows(UpstreamFailure.class, () -> stream(hello()))
        : assertThrows(UpstreamFailure.class, () -> complete(hello()));
  }
}
