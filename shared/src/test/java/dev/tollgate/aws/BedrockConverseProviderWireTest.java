package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/**
 * What {@link BedrockConverseProvider} puts on the wire through the real SDK client (the Converse
 * path with the model, a SigV4 signature, the translated body) and how it reads Converse answers.
 */
class BedrockConverseProviderWireTest {

  @RegisterExtension static final WireMockExtension upstream = FakeUpstream.server();

  private static final MutableClock CLOCK = MutableClock.startingAt("2026-01-02T03:04:05Z");
  private static final BedrockConverseProvider BEDROCK = new BedrockConverseProvider(Region.US_EAST_1, CLOCK);
  private static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  private static Target target() {
    return UpstreamCalls.target("bedrock", MODEL, FakeUpstream.baseUrl(upstream), Map.of("region", "eu-west-1"));
  }

  private static UpstreamResponse complete(ObjectNode body) throws UpstreamFailure {
    return BEDROCK.complete(UpstreamCalls.call(target(), body, Optional.empty()));
  }

  private static LoggedRequest onlyRequest() {
    var requests = upstream.findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, requests.size());
    return requests.getFirst();
  }

  @Test
  void aFullConversationIsSentAsAConverseRequest() throws Exception {
    upstream.stubFor(post(anyUrl()).willReturn(BedrockAnswers.text("ok")));
    String png = "iVBORw0KGgo=";
    ObjectNode body =
        (ObjectNode)
            Json.parse(
                """
                {"model": "chat", "max_tokens": 300, "temperature": 0.5, "top_p": 0.25, "stop": ["END"],
                 "user": "dropped", "presence_penalty": 0.1,
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "developer", "content": [{"type": "text", "text": "Use tools."}]},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is in this image?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,%s"}}]},
                   {"role": "user", "content": "And the weather in Paris?"},
                   {"role": "assistant", "content": "",
                    "tool_calls": [{"id": "tooluse_1", "type": "function",
                      "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\",\\"days\\":2}"}}]},
                   {"role": "tool", "tool_call_id": "tooluse_1", "content": "{\\"temp\\":21.5}"},
                   {"role": "tool", "tool_call_id": "tooluse_2", "content": "sunny"}],
                 "tools": [{"type": "function", "function": {"name": "weather", "description": "Forecast",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
                 "tool_choice": "required"}
                """
                    .formatted(png));

    complete(body);

    LoggedRequest sent = onlyRequest();
    assertEquals("/model/" + MODEL + "/converse", java.net.URLDecoder.decode(sent.getUrl(), "UTF-8"));
    assertTrue(
        sent.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=test/")
            && sent.getHeader("Authorization").contains("/eu-west-1/bedrock/aws4_request"),
        sent.getHeader("Authorization"));
    assertSameJson(
        Json.parse(
            """
            {"system": [{"text": "Be brief."}, {"text": "Use tools."}],
             "messages": [
               {"role": "user", "content": [
                 {"text": "What is in this image?"},
                 {"image": {"format": "png", "source": {"bytes": "%s"}}},
                 {"text": "And the weather in Paris?"}]},
               {"role": "assistant", "content": [
                 {"toolUse": {"toolUseId": "tooluse_1", "name": "weather", "input": {"city": "Paris", "days": 2}}}]},
               {"role": "user", "content": [
                 {"toolResult": {"toolUseId": "tooluse_1", "content": [{"json": {"temp": 21.5}}]}},
                 {"toolResult": {"toolUseId": "tooluse_2", "content": [{"text": "sunny"}]}}]}],
             "inferenceConfig": {"maxTokens": 300, "temperature": 0.5, "topP": 0.25, "stopSequences": ["END"]},
             "toolConfig": {
               "tools": [{"toolSpec": {"name": "weather", "description": "Forecast",
                 "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}}],
               "toolChoice": {"any": {}}}}
            """
                .formatted(png)),
        Json.parse(sent.getBodyAsString()));
  }

  @Test
  void aTextAnswerBecomesAChatCompletion() throws Exception {
    upstream.stubFor(
        post(anyUrl()).willReturn(BedrockAnswers.converse("[{\"text\": \"Hello \"}, {\"text\": \"there.\"}]", "end_turn")));

    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"));

    assertSameJson(
        Json.parse(
            """
            {"id": "chatcmpl-bedrock-%s", "object": "chat.completion", "created": %d, "model": "%s",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there."},
                          "logprobs": null, "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 21, "completion_tokens": 7, "total_tokens": 28}}
            """
                .formatted(BedrockAnswers.REQUEST_ID, CLOCK.instant().getEpochSecond(), MODEL)),
        response.completion());
    assertEquals(new dev.tollgate.provider.Usage(21, 7, 28), response.usage());
    assertSameJson(
        Json.parse("{\"messages\": [{\"role\": \"user\", \"content\": [{\"text\": \"hello\"}]}]}"),
        Json.parse(onlyRequest().getBodyAsString()));
  }

  @Test
  void aToolUseAnswerBecomesToolCalls() throws Exception {
    upstream.stubFor(
        post(anyUrl())
            .willReturn(
                BedrockAnswers.converse(
                    """
                    [{"text": "Checking."},
                     {"toolUse": {"toolUseId": "tooluse_abc", "name": "weather", "input": {"city": "Oslo", "days": [1, 2.5], "metric": true}}}]
                    """,
                    "tool_use")));

    JsonNode choice = complete(GatewayHarness.chatJson("chat")).completion().path("choices").path(0);

    assertEquals("tool_calls", choice.path("finish_reason").asText());
    assertEquals("Checking.", choice.at("/message/content").asText());
    JsonNode call = choice.at("/message/tool_calls/0");
    assertEquals("tooluse_abc", call.path("id").asText());
    assertEquals("function", call.path("type").asText());
    assertEquals("weather", call.at("/function/name").asText());
    assertSameJson(
        Json.parse("{\"city\": \"Oslo\", \"days\": [1, 2.5], \"metric\": true}"),
        Json.parse(call.at("/function/arguments").asText()));
  }

  @ParameterizedTest
  @CsvSource({
    "end_turn, stop",
    "stop_sequence, stop",
    "max_tokens, length",
    "tool_use, tool_calls",
    "guardrail_intervened, content_filter",
    "content_filtered, content_filter"
  })
  void stopReasonsMapToFinishReasons(String stopReason, String finishReason) throws Exception {
    upstream.stubFor(post(anyUrl()).willReturn(BedrockAnswers.converse("[{\"text\": \"x\"}]", stopReason)));

    JsonNode completion = complete(GatewayHarness.chatJson("chat")).completion();

    assertEquals(finishReason, completion.at("/choices/0/finish_reason").asText());
  }

  @Test
  void cachedInputTokensAreReportedAsCachedPromptTokens() throws Exception {
    upstream.stubFor(
        post(anyUrl())
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.okJson(
                    """
                    {"output": {"message": {"role": "assistant", "content": [{"text": "x"}]}}, "stopReason": "end_turn",
                     "usage": {"inputTokens": 36, "outputTokens": 5, "totalTokens": 169, "cacheReadInputTokens": 64,
                               "cacheWriteInputTokens": 64}}
                    """)));

    UpstreamResponse response = complete(GatewayHarness.chatJson("chat"));

    assertEquals(64, response.completion().at("/usage/prompt_tokens_details/cached_tokens").asLong());
    assertEquals(
        new dev.tollgate.provider.Usage(164, 5, 169, 64),
        response.usage(),
        "Bedrock's inputTokens leave out cache reads and writes: the prompt adds them back");
    assertEquals("chatcmpl-bedrock-req-wire-1", response.completion().path("id").asText(), "no request id: the gateway's");
  }

  @Test
  void anImageByLinkIsRefusedBeforeCallingBedrock() {
    ObjectNode body =
        (ObjectNode)
            Json.parse(
                """
                {"model": "chat", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "look"},
                  {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}]}
                """);

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> complete(body));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    assertEquals(400, failure.clientError().orElseThrow().status());
    assertEquals("messages[0].content[1].image_url.url", failure.clientError().orElseThrow().param());
    assertTrue(failure.detail().contains("base64 data: URL"), failure.detail());
    assertEquals(0, upstream.findAll(anyRequestedFor(anyUrl())).size());
  }
}
