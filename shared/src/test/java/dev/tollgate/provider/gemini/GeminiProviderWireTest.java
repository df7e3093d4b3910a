package dev.tollgate.provider.gemini;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.api.Json;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link GeminiProvider} puts on the wire (URL with the model, key in a header, the
 * translated body) and what it makes of Gemini's documented answers.
 */
class GeminiProviderWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final Secret SECRET = new Secret("AIzaSyD-gemini-test-key-0042");
  private static final MutableClock CLOCK = MutableClock.startingAt("2026-01-02T03:04:05Z");
  private static final GeminiProvider GEMINI = new GeminiProvider(new UpstreamHttp(), CLOCK);
  private static final String PATH = "/v1beta/models/gemini-2.5-flash:generateContent";

  private static Target target() {
    return UpstreamCalls.target("gemini", "gemini-2.5-flash", FakeUpstream.baseUrl(upstream) + "/v1beta", Map.of());
  }

  private static UpstreamResponse complete(ObjectNode body, ObjectNode answer) throws UpstreamFailure {
    upstream.stubFor(post(urlPathEqualTo(PATH)).willReturn(FakeUpstream.json(200, answer)));
    return GEMINI.complete(UpstreamCalls.call(target(), body, Optional.of(SECRET)));
  }

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> requests = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size(), "requests the upstream received");
    return requests.getFirst();
  }

  private static ObjectNode object(String json) {
    return (ObjectNode) Json.parse(json);
  }

  /** A client body using most of what the translator knows. */
  private static final String CONVERSATION =
      """
      {"model": "chat", "stream": true, "stream_options": {"include_usage": true},
       "messages": [
         {"role": "system", "content": "You are a weather bot."},
         {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
         {"role": "user", "content": [
           {"type": "text", "text": "Weather where these photos were taken?"},
           {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}},
           {"type": "image_url", "image_url": {"url": "https://example.com/photos/paris.webp?size=large"}},
           {"type": "image_url", "image_url": {"url": "https://example.com/photo"}}]},
         {"role": "assistant", "content": "Let me check.", "tool_calls": [
           {"id": "call_abc", "type": "function",
            "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"days\\": 2}"}},
           {"id": "call_def", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]},
         {"role": "tool", "tool_call_id": "call_abc", "content": "{\\"temp_c\\": 18, \\"sky\\": \\"cloudy\\"}"},
         {"role": "tool", "tool_call_id": "call_def", "content": "09:30"},
         {"role": "user", "content": "And tomorrow?"}],
       "tools": [
         {"type": "function", "function": {"name": "get_weather", "description": "Forecast for a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                         "required": ["city"]}}},
         {"type": "function", "function": {"name": "get_time"}}],
       "tool_choice": "auto",
       "temperature": 0.3, "top_p": 0.9, "max_completion_tokens": 256, "stop": ["END"], "n": 1, "seed": 7,
       "presence_penalty": 0.5, "logit_bias": {"50256": -100}, "user": "u-1", "metadata": {"trace": "t"}}
      """;

  /** The same conversation as Gemini documents its request; written out by hand. */
  private static final String CONVERSATION_FOR_GEMINI =
      """
      {"systemInstruction": {"parts": [{"text": "You are a weather bot."}, {"text": "Answer in French."}]},
       "contents": [
         {"role": "user", "parts": [
           {"text": "Weather where these photos were taken?"},
           {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
           {"fileData": {"mimeType": "image/webp", "fileUri": "https://example.com/photos/paris.webp?size=large"}},
           {"fileData": {"mimeType": "image/jpeg", "fileUri": "https://example.com/photo"}}]},
         {"role": "model", "parts": [
           {"text": "Let me check."},
           {"functionCall": {"name": "get_weather", "args": {"city": "Paris", "days": 2}}},
           {"functionCall": {"name": "get_time", "args": {}}}]},
         {"role": "user", "parts": [
           {"functionResponse": {"name": "get_weather", "response": {"content": {"temp_c": 18, "sky": "cloudy"}}}},
           {"functionResponse": {"name": "get_time", "response": {"content": "09:30"}}},
           {"text": "And tomorrow?"}]}],
       "tools": [{"functionDeclarations": [
         {"name": "get_weather", "description": "Forecast for a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                         "required": ["city"]}},
         {"name": "get_time"}]}],
       "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}},
       "generationConfig": {"temperature": 0.3, "topP": 0.9, "maxOutputTokens": 256, "stopSequences": ["END"],
                            "candidateCount": 1, "seed": 7}}
      """;

  @Test
  void sendsTheTranslatedConversationToTheModelsUrlWithTheKeyInAHeader() throws UpstreamFailure {
    complete(object(CONVERSATION), GeminiAnswers.text("Demain: soleil.", "STOP"));

    LoggedRequest sent = onlyRequest();
    assertEquals("POST", sent.getMethod().getName());
    assertEquals(PATH, sent.getUrl(), "no query string: the key never travels in the URL");
    assertEquals(SECRET.value(), sent.getHeader("x-goog-api-key"));
    assertFalse(sent.containsHeader("Authorization"));
    assertFalse(sent.getAbsoluteUrl().contains(SECRET.value()));
    assertEquals("application/json", sent.getHeader("Content-Type"));
    assertEquals(Json.parse(CONVERSATION_FOR_GEMINI), Json.parse(sent.getBodyAsString()));
  }

  @Test
  void aModelWrittenWithItsResourcePrefixIsCalledByName() throws UpstreamFailure {
    upstream.stubFor(post(urlPathEqualTo(PATH)).willReturn(GeminiAnswers.answers("ok")));
    Target target =
        UpstreamCalls.target("gemini", "models/gemini-2.5-flash", FakeUpstream.baseUrl(upstream) + "/v1beta", Map.of());

    GEMINI.complete(UpstreamCalls.call(target, GatewayHarness.chatJson("chat"), Optional.of(SECRET)));

    assertEquals(PATH, onlyRequest().getUrl());
  }

  @Test
  void aTextAnswerBecomesAChatCompletion() throws UpstreamFailure {
    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"), GeminiAnswers.text("Bonjour !", "STOP"));

    JsonNode expected =
        Json.parse(
            """
            {"id": "chatcmpl-gemini-mGkAaYTqF4mUxN8P", "object": "chat.completion", "created": %d,
             "model": "gemini-2.5-flash",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour !"},
                          "logprobs": null, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}}
            """
                .formatted(CLOCK.instant().getEpochSecond()));
    assertSameJson(expected, response.completion());
    assertEquals(new Usage(11, 7, 18), response.usage());
  }

  @Test
  void withoutResponseIdOrModelVersionTheRequestIdAndTargetModelAreUsed() throws UpstreamFailure {
    ObjectNode answer = GeminiAnswers.text("hi", "STOP");
    answer.remove("responseId");
    answer.remove("modelVersion");

    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"), answer);

    assertEquals("chatcmpl-gemini-req-wire-1", response.completion().path("id").asText());
    assertEquals("gemini-2.5-flash", response.completion().path("model").asText());
  }

  @Test
  void textPartsAreJoinedAndThoughtSummariesLeftOut() throws UpstreamFailure {
    ObjectNode answer =
        object(
            """
            {"candidates": [{"content": {"role": "model", "parts": [
               {"text": "Thinking about the user's question", "thought": true},
               {"text": "Hello, "}, {"text": "world."}]}, "finishReason": "STOP"}],
             "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 3, "thoughtsTokenCount": 20,
                               "totalTokenCount": 27}}
            """);

    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"), answer);

    assertEquals("Hello, world.", response.completion().at("/choices/0/message/content").asText());
    assertEquals(new Usage(4, 23, 27), response.usage(), "thinking is billed as output");
    assertEquals(20, response.completion().at("/usage/completion_tokens_details/reasoning_tokens").asLong());
  }

  @Test
  void functionCallsBecomeToolCallsWithGeneratedIdsAndJsonArguments() throws UpstreamFailure {
    ObjectNode answer =
        object(
            """
            {"candidates": [{"content": {"role": "model", "parts": [
               {"functionCall": {"name": "get_weather", "args": {"city": "Paris", "units": {"temp": "C"}}}},
               {"functionCall": {"name": "get_time"}}]}, "finishReason": "STOP", "index": 0}],
             "usageMetadata": {"promptTokenCount": 30, "candidatesTokenCount": 12, "totalTokenCount": 42}}
            """);

    UpstreamResponse response = complete(object(CONVERSATION), answer);

    JsonNode choice = response.completion().at("/choices/0");
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    assertTrue(choice.at("/message/content").isNull());
    JsonNode calls = choice.at("/message/tool_calls");
    assertEquals(2, calls.size());
    assertEquals("call_1", calls.at("/0/id").asText());
    assertEquals("function", calls.at("/0/type").asText());
    assertEquals("get_weather", calls.at("/0/function/name").asText());
    assertTrue(calls.at("/0/function/arguments").isTextual(), "arguments are a JSON string, as in OpenAI");
    assertEquals(Json.parse("{\"city\":\"Paris\",\"units\":{\"temp\":\"C\"}}"), Json.parse(calls.at("/0/function/arguments").asText()));
    assertEquals("call_2", calls.at("/1/id").asText());
    assertEquals("get_time", calls.at("/1/function/name").asText());
    assertEquals("{}", calls.at("/1/function/arguments").asText());
  }

  @Test
  void everyCandidateBecomesAChoice() throws UpstreamFailure {
    ObjectNode answer =
        object(
            """
            {"candidates": [
               {"content": {"role": "model", "parts": [{"text": "Red."}]}, "finishReason": "STOP", "index": 0},
               {"content": {"role": "model", "parts": [{"text": "Blue, and more"}]}, "finishReason": "MAX_TOKENS", "index": 1}],
             "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 9, "totalTokenCount": 14}}
            """);
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.put("n", 2);

    UpstreamResponse response = complete(body, answer);

    assertEquals(2, Json.parse(onlyRequest().getBodyAsString()).at("/generationConfig/candidateCount").asInt());
    JsonNode choices = response.completion().path("choices");
    assertEquals(2, choices.size());
    assertEquals(0, choices.at("/0/index").asInt());
    assertEquals("Red.", choices.at("/0/message/content").asText());
    assertEquals("stop", choices.at("/0/finish_reason").asText());
    assertEquals(1, choices.at("/1/index").asInt());
    assertEquals("Blue, and more", choices.at("/1/message/content").asText());
    assertEquals("length", choices.at("/1/finish_reason").asText());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "STOP, stop",
    "MAX_TOKENS, length",
    "SAFETY, content_filter",
    "RECITATION, content_filter",
    "BLOCKLIST, content_filter",
    "PROHIBITED_CONTENT, content_filter",
    "SPII, content_filter",
    "OTHER, stop",
    "FINISH_REASON_UNSPECIFIED, stop"
  })
  void finishReasonsAreMappedToOpenAis(String gemini, String openAi) throws UpstreamFailure {
    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"), GeminiAnswers.text("partial", gemini));

    assertEquals(openAi, response.completion().at("/choices/0/finish_reason").asText());
  }

  @Test
  void aPromptBlockedBySafetyGivesOneEmptyContentFilteredChoice() throws UpstreamFailure {
    ObjectNode answer =
        object(
            """
            {"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": [
               {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH"}]},
             "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9},
             "modelVersion": "gemini-2.5-flash"}
            """);

    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"), answer);

    JsonNode choices = response.completion().path("choices");
    assertEquals(1, choices.size());
    assertEquals("", choices.at("/0/message/content").asText());
    assertEquals("content_filter", choices.at("/0/finish_reason").asText());
    assertEquals(new Usage(9, 0, 9), response.usage());
  }

  @Test
  void cachedPromptTokensAreReportedAsOpenAiCachedTokens() throws UpstreamFailure {
    ObjectNode answer = GeminiAnswers.text("cached", "STOP");
    answer.set(
        "usageMetadata",
        Json.parse(
            """
            {"promptTokenCount": 2048, "cachedContentTokenCount": 1536, "candidatesTokenCount": 20,
             "totalTokenCount": 2068}
            """));

    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"), answer);

    assertSameJson(
        Json.parse(
            """
            {"prompt_tokens": 2048, "completion_tokens": 20, "total_tokens": 2068,
             "prompt_tokens_details": {"cached_tokens": 1536}}
            """),
        response.completion().path("usage"));
    assertEquals(new Usage(2048, 20, 2068, 1536), response.usage());
  }
}
