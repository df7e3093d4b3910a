package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.contract.ChatAdapterContract;
import dev.tollgate.provider.contract.FakeServer;
import dev.tollgate.provider.contract.NativeAnswer;
import dev.tollgate.provider.contract.RecordedRequest;
import dev.tollgate.provider.contract.RequestView;
import dev.tollgate.provider.contract.WireMockFakeServer;
import dev.tollgate.provider.contract.WireScript;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The chat adapter contract for Amazon Bedrock's {@code Converse} (JSON) and
 * {@code ConverseStream} (AWS binary event stream) through the real SDK clients (the sync one on
 * URL-connection, the async one on CRT), signed with the test's static credentials, the
 * endpoint overridden to a loopback WireMock that sends the scripted bytes as they are.
 */
public class BedrockContractTest extends ChatAdapterContract {

  /** A model id with a colon, as Bedrock's are: it travels percent-encoded in the path. */
  static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  @Override
  protected FakeServer startServer() {
    return new WireMockFakeServer();
  }

  @Override
  protected Provider provider() {
    return new BedrockConverseProvider(Region.US_EAST_1, MutableClock.startingAt("2026-03-04T05:06:07Z"));
  }

  @Override
  protected Target target(String rootUrl) {
    return UpstreamCalls.target("bedrock", MODEL, rootUrl, Map.of("region", "us-east-1"));
  }

  @Override
  protected WireScript wire() {
    return new BedrockWire();
  }

  @Override
  protected RequestView read(RecordedRequest request) {
    return new BedrockView(request);
  }

  /** Bedrock documents no retry hint on its throttling answers; see {@link BedrockWire#error}. */
  @Override
  protected boolean sendsRetryAfter() {
    return false;
  }

  /**
   * Bedrock Runtime's documented answers: Converse JSON bodies, ConverseStream event-stream frames
   * ({@code messageStart}, {@code contentBlockStart/Delta/Stop}, {@code messageStop},
   * {@code metadata}), and errors as a status, an {@code x-amzn-ErrorType} header and a JSON
   * {@code message}.
   */
  public static final class BedrockWire implements WireScript {

    private static final String REQUEST_ID = "2f1a7c3e-9b4d-4e8f-a6c5-1d0e9f8b7a6c";
    private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    /**
     * Bedrock counts cache reads apart from {@code inputTokens} ("only the non-cached input
     * tokens"), and its {@code totalTokens} includes them.
     */
    private static ObjectNode usage(Tokens tokens) {
      ObjectNode usage = Json.object();
      usage.put("inputTokens", tokens.promptTokens() - tokens.cachedTokens());
      usage.put("outputTokens", tokens.completionTokens());
      usage.put("totalTokens", tokens.promptTokens() + tokens.completionTokens());
      if (tokens.cachedTokens() > 0) {
        usage.put("cacheReadInputTokens", tokens.cachedTokens());
        usage.put("cacheWriteInputTokens", 0);
      }
      return usage;
    }

    private static NativeAnswer converse(JsonNode content, String stopReason, Tokens tokens) {
      ObjectNode answer = Json.object();
      ObjectNode message = answer.putObject("output").putObject("message");
      message.put("role", "assistant");
      message.set("content", content);
      answer.put("stopReason", stopReason);
      answer.set("usage", usage(tokens));
      answer.putObject("metrics").put("latencyMs", 412);
      return NativeAnswer.json(200, answer).withHeader("x-amzn-RequestId", REQUEST_ID);
    }

    @Override
    public NativeAnswer text(String text, Tokens tokens) {
      return converse(Json.array().add(Json.object().put("text", text)), "end_turn", tokens);
    }

    @Override
    public NativeAnswer toolCall(String name, String argumentsJson, Tokens tokens) {
      ObjectNode use = Json.object();
      use.putObject("toolUse").put("toolUseId", "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q").put("name", name)
          .set("input", Json.parse(argumentsJson));
      return converse(Json.array().add(use), "tool_use", tokens);
    }

    /** Event frames one after another, as ConverseStream's 200 body. */
    private static final class Frames {
      private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

      Frames event(String type, ObjectNode json) {
        json.put("p", "abcdefgh"); // Bedrock pads events to hide their length
        return raw(type, Json.text(json));
      }

      Frames raw(String type, String json) {
        bytes.writeBytes(BedrockEventStreamFake.eventFrame(type, json));
        return this;
      }

      Frames start() {
        return event("messageStart", Json.object().put("role", "assistant"));
      }

      Frames textDeltas(List<String> pieces) {
        for (String piece : pieces) {
          ObjectNode delta = Json.object().put("contentBlockIndex", 0);
          delta.putObject("delta").put("text", piece);
          event("contentBlockDelta", delta);
        }
        return this;
      }

      Frames stop(int block, String stopReason, Tokens tokens) {
        event("contentBlockStop", Json.object().put("contentBlockIndex", block));
        event("messageStop", Json.object().put("stopReason", stopReason));
        ObjectNode metadata = Json.object();
        metadata.set("usage", usage(tokens));
        metadata.putObject("metrics").put("latencyMs", 312);
        return event("metadata", metadata);
      }

      NativeAnswer answer() {
        return new NativeAnswer(200, Map.of("content-type", EVENT_STREAM, "x-amzn-RequestId", REQUEST_ID), bytes.toByteArray());
      }
    }

    @Override
    public NativeAnswer streamedText(List<String> pieces, Tokens tokens) {
      return new Frames().start().textDeltas(pieces).stop(0, "end_turn", tokens).answer();
    }

    @Override
    public NativeAnswer streamedToolCall(String name, List<String> argumentPieces, Tokens tokens) {
      Frames frames = new Frames().start();
      // Claude on Bedrock often says a sentence first: a text block, then the call in block 1.
      frames.textDeltas(List.of("Let me check."));
      frames.event("contentBlockStop", Json.object().put("contentBlockIndex", 0));
      ObjectNode start = Json.object().put("contentBlockIndex", 1);
      start.putObject("start").putObject("toolUse").put("toolUseId", "tooluse_Wl8sMB2rQdyGkCg1tm3nAw").put("name", name);
      frames.event("contentBlockStart", start);
      for (String piece : argumentPieces) {
        ObjectNode delta = Json.object().put("contentBlockIndex", 1);
        delta.putObject("delta").putObject("toolUse").put("input", piece);
        frames.event("contentBlockDelta", delta);
      }
      return frames.stop(1, "tool_use", tokens).answer();
    }

    @Override
    public NativeAnswer cutStream(List<String> pieces) {
      return new Frames().start().textDeltas(pieces).answer();
    }

    /**
     * Bedrock's documented error types by status: a bad credential is {@code 403
     * UnrecognizedClientException} (AWS never answers 401). Bedrock documents no
     * {@code Retry-After} on {@code ThrottlingException}, so no hint is sent.
     */
    @Override
    public NativeAnswer error(int status, String message, long retryAfterSeconds) {
      record Shape(int status, String type) {}
      Shape shape =
          switch (status) {
            case 400 -> new Shape(400, "ValidationException");
            case 401 -> new Shape(403, "UnrecognizedClientException");
            case 403 -> new Shape(403, "AccessDeniedException");
            case 429 -> new Shape(429, "ThrottlingException");
            case 503 -> new Shape(503, "ServiceUnavailableException");
            default -> new Shape(status, "InternalServerException");
          };
      return NativeAnswer.json(shape.status(), Json.object().put("message", message))
          .withHeader("x-amzn-RequestId", REQUEST_ID)
          .withHeader("x-amzn-ErrorType", shape.type() + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    }

    @Override
    public NativeAnswer malformedAnswer() {
      byte[] cut = "{\"output\": {\"message\": {\"role\": \"assistant\", \"content\": [{\"text\": \"Hi".getBytes(StandardCharsets.UTF_8);
      return new NativeAnswer(200, Map.of("content-type", "application/json", "x-amzn-RequestId", REQUEST_ID), cut);
    }

    @Override
    public NativeAnswer malformedStreamEvent(List<String> piecesBefore) {
      return new Frames()
          .start()
          .textDeltas(piecesBefore)
          .raw("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"bro")
          .answer();
    }
  }

  /** Reads a Converse or ConverseStream request: the model and operation from the path, the rest from the JSON. */
  static final class BedrockView implements RequestView {

    private final String path;
    private final JsonNode body;

    BedrockView(RecordedRequest request) {
      this.path = URLDecoder.decode(request.url(), StandardCharsets.UTF_8);
      this.body = request.json();
    }

    @Override
    public String model() {
      // /model/{modelId}/converse or /model/{modelId}/converse-stream
      String rest = path.substring("/model/".length());
      return rest.substring(0, rest.lastIndexOf('/'));
    }

    @Override
    public boolean streams() {
      return path.endsWith("/converse-stream");
    }

    @Override
    public Optional<String> system() {
      List<String> texts = new ArrayList<>();
      body.path("system").forEach(block -> texts.add(block.path("text").asText()));
      return texts.isEmpty() ? Optional.empty() : Optional.of(String.join("", texts));
    }

    @Override
    public List<Turn> turns() {
      List<Turn> turns = new ArrayList<>();
      for (JsonNode message : body.path("messages")) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
          if (block.has("text")) {
            text.append(block.get("text").asText());
          }
        }
        if (!text.isEmpty()) {
          turns.add(new Turn(message.path("role").asText(), text.toString()));
        }
      }
      return turns;
    }

    @Override
    public List<Tool> tools() {
      List<Tool> tools = new ArrayList<>();
      for (JsonNode tool : body.at("/toolConfig/tools")) {
        JsonNode spec = tool.path("toolSpec");
        tools.add(new Tool(spec.path("name").asText(), spec.path("description").asText(null), spec.at("/inputSchema/json")));
      }
      return tools;
    }

    @Override
    public List<ToolUse> toolCalls() {
      List<ToolUse> uses = new ArrayList<>();
      for (JsonNode block : blocks()) {
        if (block.has("toolUse")) {
          uses.add(new ToolUse(block.at("/toolUse/name").asText(), block.at("/toolUse/input")));
        }
      }
      return uses;
    }

    @Override
    public List<String> toolResults() {
      List<String> results = new ArrayList<>();
      for (JsonNode block : blocks()) {
        if (block.has("toolResult")) {
          StringBuilder text = new StringBuilder();
          for (JsonNode part : block.at("/toolResult/content")) {
            text.append(part.has("json") ? Json.text(part.get("json")) : part.path("text").asText());
          }
          results.add(text.toString());
        }
      }
      return results;
    }

    @Override
    public List<Image> images() {
      List<Image> images = new ArrayList<>();
      for (JsonNode block : blocks()) {
        if (block.has("image")) {
          images.add(new Image("image/" + block.at("/image/format").asText(), block.at("/image/source/bytes").asText()));
        }
      }
      return images;
    }

    private List<JsonNode> blocks() {
      List<JsonNode> blocks = new ArrayList<>();
      body.path("messages").forEach(message -> message.path("content").forEach(blocks::add));
      return blocks;
    }
  }
}
