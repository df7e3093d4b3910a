package dev.tollgate.aws;

import static dev.tollgate.aws.BedrockEventStreamFake.cut;
import static dev.tollgate.aws.BedrockEventStreamFake.event;
import static dev.tollgate.aws.BedrockEventStreamFake.exception;
import static dev.tollgate.aws.BedrockEventStreamFake.hold;
import static dev.tollgate.aws.BedrockEventStreamFake.metadata;
import static dev.tollgate.aws.BedrockEventStreamFake.untilHungUp;
import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/**
 * {@link BedrockConverseProvider#stream} through the real SDK async client on the CRT HTTP
 * client, against a loopback server speaking {@code ConverseStream}'s binary event stream: what
 * is sent, how events become OpenAI chunks as they arrive, and how refusals, exception events,
 * cut streams and a cancelling caller end the stream.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
class BedrockConverseStreamWireTest {

  @RegisterExtension static final BedrockEventStreamFake bedrock = new BedrockEventStreamFake();

  private static final MutableClock CLOCK = MutableClock.startingAt("2026-01-02T03:04:05Z");
  private static final BedrockConverseProvider BEDROCK = new BedrockConverseProvider(Region.US_EAST_1, CLOCK);
  private static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  private static Target target() {
    return UpstreamCalls.target("bedrock", MODEL, bedrock.baseUrl(), Map.of("region", "eu-west-1"));
  }

  private static ObjectNode hello() {
    return (ObjectNode) Json.parse("{\"model\": \"chat\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}");
  }

  private static ChunkStream stream(ObjectNode body) throws UpstreamFailure {
    return BEDROCK.stream(UpstreamCalls.call(target(), body, Optional.empty()));
  }

  private static List<JsonNode> drain(ChunkStream stream) throws UpstreamFailure {
    List<JsonNode> chunks = new ArrayList<>();
    for (Optional<ObjectNode> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
      chunks.add(chunk.get());
    }
    return chunks;
  }

  private static String content(JsonNode chunk) {
    return chunk.at("/choices/0/delta/content").asText();
  }

  @Test
  void theConversationIsPostedToConverseStreamSigned() throws Exception {
    bedrock.streams(BedrockEventStreamFake.textAnswer("end_turn", "ok"));
    ObjectNode body =
        (ObjectNode)
            Json.parse(
                """
                {"model": "chat", "stream": true, "stream_options": {"include_usage": true},
                 "max_tokens": 300, "temperature": 0.5, "stop": ["END"],
                 "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather?"}],
                 "tools": [{"type": "function", "function": {"name": "weather",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                 "tool_choice": "auto"}
                """);

    try (ChunkStream stream = stream(body)) {
      drain(stream);
    }

    BedrockEventStreamFake.Received sent = bedrock.received().getFirst();
    assertEquals(1, bedrock.received().size());
    assertEquals("POST", sent.method());
    assertEquals("/model/" + MODEL + "/converse-stream", URLDecoder.decode(sent.rawPath(), StandardCharsets.UTF_8));
    String authorization = sent.header("Authorization");
    assertTrue(
        authorization.startsWith("AWS4-HMAC-SHA256 Credential=test/") && authorization.contains("/eu-west-1/bedrock/aws4_request"),
        authorization);
    assertSameJson(
        Json.parse(
            """
            {"system": [{"text": "Be brief."}],
             "messages": [{"role": "user", "content": [{"text": "Weather?"}]}],
             "inferenceConfig": {"maxTokens": 300, "temperature": 0.5, "stopSequences": ["END"]},
             "toolConfig": {
               "tools": [{"toolSpec": {"name": "weather",
                 "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}}}}}],
               "toolChoice": {"auto": {}}}}
            """),
        Json.parse(sent.body()));
  }

  @Test
  void textArrivesChunkByChunkAsBedrockSendsIt() throws Exception {
    BedrockEventStreamFake.Gate gate = new BedrockEventStreamFake.Gate();
    bedrock.streams(
        event("messageStart", "{\"role\":\"assistant\"}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hel\"}}"),
        hold(gate),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"lo.\"}}"),
        event("contentBlockStop", "{\"contentBlockIndex\":0}"),
        event("messageStop", "{\"stopReason\":\"end_turn\"}"),
        metadata(11, 3, 14));

    try (ChunkStream stream = stream(hello())) {
      JsonNode role = stream.next().orElseThrow();
      JsonNode first = stream.next().orElseThrow();
      assertTrue(gate.held(), "the first text was readable while Bedrock still held back the rest");
      gate.open();
      List<JsonNode> rest = drain(stream);

      assertSameJson(
          Json.parse(
              """
              {"id": "chatcmpl-bedrock-%s", "object": "chat.completion.chunk", "created": 1767323045, "model": "%s",
               "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": null, "finish_reason": null}]}
              """
                  .formatted(BedrockEventStreamFake.REQUEST_ID, MODEL)),
          role);
      assertEquals("Hel", content(first));
      assertEquals(2, rest.size(), rest.toString());
      assertEquals("lo.", content(rest.get(0)));
      assertEquals("stop", rest.get(1).at("/choices/0/finish_reason").asText());
      assertTrue(rest.get(1).at("/choices/0/delta").isEmpty());
      assertFalse(rest.stream().anyMatch(c -> c.has("usage")), "no usage-only chunk from the provider");
      assertEquals(new Usage(11, 3, 14), stream.usage());
      assertTrue(stream.next().isEmpty(), "stays ended");
    }
  }

  @Test
  void aToolUseStreamsAsOneToolCallWhoseArgumentsConcatenate() throws Exception {
    bedrock.streams(
        event("messageStart", "{\"role\":\"assistant\"}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Let me check.\"}}"),
        event("contentBlockStop", "{\"contentBlockIndex\":0}"),
        event("contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_Xy1\",\"name\":\"weather\"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\": \\\"Pa\"}}}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"ris\\\", \\\"days\\\": 2}\"}}}"),
        event("contentBlockStop", "{\"contentBlockIndex\":1}"),
        event("messageStop", "{\"stopReason\":\"tool_use\"}"),
        metadata(40, 22, 62));

    List<JsonNode> chunks;
    Usage usage;
    try (ChunkStream stream = stream(hello())) {
      chunks = drain(stream);
      usage = stream.usage();
    }

    List<JsonNode> calls = chunks.stream().flatMap(c -> c.at("/choices/0/delta/tool_calls").valueStream()).toList();
    assertEquals(3, calls.size(), chunks.toString());
    assertSameJson(
        Json.parse("{\"index\": 0, \"id\": \"tooluse_Xy1\", \"type\": \"function\", \"function\": {\"name\": \"weather\", \"arguments\": \"\"}}"),
        calls.getFirst());
    StringBuilder arguments = new StringBuilder();
    for (JsonNode call : calls) {
      assertEquals(0, call.path("index").asInt(), "Bedrock's block 1 is the first tool call");
      arguments.append(call.at("/function/arguments").asText());
    }
    assertEquals(Json.parse("{\"city\": \"Paris\", \"days\": 2}"), Json.parse(arguments.toString()));
    assertEquals("Let me check.", chunks.get(1).at("/choices/0/delta/content").asText());
    assertEquals("tool_calls", chunks.getLast().at("/choices/0/finish_reason").asText());
    assertEquals(new Usage(40, 22, 62), usage);
  }

  @ParameterizedTest
  @CsvSource({
    "end_turn, stop",
    "stop_sequence, stop",
    "max_tokens, length",
    "guardrail_intervened, content_filter",
    "content_filtered, content_filter"
  })
  void theStopReasonBecomesTheFinishReason(String stopReason, String finishReason) throws Exception {
    bedrock.streams(BedrockEventStreamFake.textAnswer(stopReason, "Some", " text"));

    try (ChunkStream stream = stream(hello())) {
      List<JsonNode> chunks = drain(stream);
      assertEquals(finishReason, chunks.getLast().at("/choices/0/finish_reason").asText());
      assertEquals("Some text", content(chunks.get(1)) + content(chunks.get(2)));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "429, ThrottlingException, RATE_LIMITED",
    "503, ServiceUnavailableException, SERVER_ERROR",
    "500, InternalServerException, SERVER_ERROR",
    "403, AccessDeniedException, AUTH_REJECTED",
    "404, ResourceNotFoundException, UPSTREAM_NOT_FOUND"
  })
  void aRefusalBeforeTheStreamFailsTheOpeningCall(int status, String type, FailureKind kind) {
    bedrock.refuses(status, type, "Refused for a reason");

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> stream(hello()));

    assertEquals(kind, failure.kind());
    assertEquals(status, failure.status());
    assertTrue(kind.triesNextTarget());
  }

  @Test
  void anInvalidRequestIsHandedBackToTheClient() {
    bedrock.refuses(400, "ValidationException", "The model does not support tool use with streaming.");

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> stream(hello()));

    assertEquals(FailureKind.REQUEST_REJECTED, failure.kind());
    assertEquals(400, failure.clientError().orElseThrow().status());
    assertTrue(failure.clientError().orElseThrow().message().contains("does not support tool use with streaming"));
  }

  @Test
  void aBedrockThatNeverAnswersTimesOutTheOpeningCall() throws Exception {
    BedrockEventStreamFake.Gate gate = new BedrockEventStreamFake.Gate();
    bedrock.staysSilent(gate);
    Target impatient = UpstreamCalls.target("bedrock", MODEL, bedrock.baseUrl(), Map.of(), 300);

    try {
      UpstreamFailure failure =
          assertThrows(UpstreamFailure.class, () -> BEDROCK.stream(UpstreamCalls.call(impatient, hello(), Optional.empty())));
      assertEquals(FailureKind.TIMED_OUT, failure.kind());
    } finally {
      gate.open();
    }
  }

  @Test
  void aThrottlingExceptionBeforeAnyEventFailsTheFirstRead() throws Exception {
    bedrock.streams(exception("throttlingException", "Too many tokens, please wait before trying again."));

    try (ChunkStream stream = stream(hello())) {
      UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);
      assertEquals(FailureKind.RATE_LIMITED, failure.kind());
    }
  }

  @ParameterizedTest
  @CsvSource({
    "modelStreamErrorException, SERVER_ERROR",
    "internalServerException, SERVER_ERROR",
    "serviceUnavailableException, SERVER_ERROR",
    "throttlingException, RATE_LIMITED",
    "validationException, REQUEST_REJECTED"
  })
  void anExceptionEventMidStreamFailsAfterTheEarlierChunks(String type, FailureKind kind) throws Exception {
    bedrock.streams(
        event("messageStart", "{\"role\":\"assistant\"}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Partial\"}}"),
        exception(type, "Something went wrong while streaming"));

    try (ChunkStream stream = stream(hello())) {
      stream.next().orElseThrow();
      assertEquals("Partial", content(stream.next().orElseThrow()));
      UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);
      assertEquals(kind, failure.kind());
      if (kind == FailureKind.REQUEST_REJECTED) {
        assertEquals(400, failure.clientError().orElseThrow().status());
      }
    }
  }

  @Test
  void aConnectionDroppedHalfWayIsANetworkError() throws Exception {
    bedrock.streams(
        event("messageStart", "{\"role\":\"assistant\"}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Half\"}}"),
        cut());

    try (ChunkStream stream = stream(hello())) {
      stream.next().orElseThrow();
      assertEquals("Half", content(stream.next().orElseThrow()));
      UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);
      assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
    }
  }

  @Test
  void aStreamThatEndsBeforeMessageStopIsCut() throws Exception {
    bedrock.streams(
        event("messageStart", "{\"role\":\"assistant\"}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Half\"}}"));

    try (ChunkStream stream = stream(hello())) {
      stream.next().orElseThrow();
      stream.next().orElseThrow();
      UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);
      assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
      assertTrue(failure.detail().contains("before the answer was complete"), failure.detail());
    }
  }

  @Test
  void aStreamThatEndsAfterMessageStopWithoutMetadataIsComplete() throws Exception {
    bedrock.streams(
        event("messageStart", "{\"role\":\"assistant\"}"),
        event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Done\"}}"),
        event("messageStop", "{\"stopReason\":\"end_turn\"}"));

    try (ChunkStream stream = stream(hello())) {
      List<JsonNode> chunks = drain(stream);
      assertEquals(3, chunks.size());
      assertEquals(Usage.NONE, stream.usage());
    }
  }

  @Test
  void closeFromAnotherThreadFailsABlockedReadAndHangsUpOnBedrock() throws Exception {
    BedrockEventStreamFake.Gate gate = new BedrockEventStreamFake.Gate();
    bedrock.streams(event("messageStart", "{\"role\":\"assistant\"}"), hold(gate), untilHungUp());
    ChunkStream stream = stream(hello());
    stream.next().orElseThrow();
    Thread reader = Thread.currentThread();
    Thread closer =
        Thread.ofVirtual()
            .start(
                () -> {
                  // close only once the reader is parked in next(), waiting for Bedrock
                  while (reader.getState() != Thread.State.WAITING && reader.getState() != Thread.State.TIMED_WAITING) {
                    Thread.onSpinWait();
                  }
                  stream.close();
                });

    UpstreamFailure failure = assertThrows(UpstreamFailure.class, stream::next);
    closer.join();
    gate.open();

    assertEquals(FailureKind.NETWORK_ERROR, failure.kind());
    assertTrue(failure.detail().contains("cancelled"), failure.detail());
    assertTrue(bedrock.awaitHangUp(Duration.ofSeconds(5)), "the connection to Bedrock was closed");
  }
}
