package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.contract.ChatAdapterContract;
import dev.tollgate.provider.contract.FakeServer;
import dev.tollgate.provider.contract.NativeAnswer;
import dev.tollgate.provider.contract.RecordedRequest;
import dev.tollgate.provider.contract.RequestView;
import dev.tollgate.provider.contract.SseFrames;
import dev.tollgate.provider.contract.WireMockFakeServer;
import dev.tollgate.provider.contract.WireScript;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.UpstreamCalls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chat adapter contract for Anthropic's Messages API, streaming with named SSE events. */
public class AnthropicContractTest extends ChatAdapterContract {

  @Override
  protected FakeServer startServer() {
    return new WireMockFakeServer();
  }

  @Override
  protected Provider provider() {
    return new AnthropicProvider(new UpstreamHttp(), MutableClock.startingAt("2026-03-04T05:06:07Z"));
  }

  @Override
  protected Target target(String rootUrl) {
    return UpstreamCalls.target("anthropic", "claude-sonnet-4-5", rootUrl + "/v1", Map.of());
  }

  @Override
  protected WireScript wire() {
    return new AnthropicWire();
  }

  @Override
  protected RequestView read(RecordedRequest request) {
    return new AnthropicView(request.json());
  }

  /** Anthropic's documented messages, stream events and errors. */
  public static final class AnthropicWire implements WireScript {

    private static final String ID = "msg_013Zva2CMHLNnXjNJJKqJ2EF";
    private static final String MODEL = "claude-sonnet-4-5-20250929";

    /** Anthropic counts cache reads apart from {@code input_tokens}. */
    private static ObjectNode usage(Tokens tokens, long outputTokens) {
      ObjectNode usage = Json.object();
      usage.put("input_tokens", tokens.promptTokens() - tokens.cachedTokens());
      usage.put("cache_creation_input_tokens", 0);
      usage.put("cache_read_input_tokens", tokens.cachedTokens());
      usage.put("output_tokens", outputTokens);
      usage.put("service_tier", "standard");
      return usage;
    }

    private static ObjectNode message(String stopReason, Tokens tokens) {
      ObjectNode message = Json.object();
      message.put("id", ID);
      message.put("type", "message");
      message.put("role", "assistant");
      message.put("model", MODEL);
      message.putArray("content");
      if (stopReason == null) {
        message.putNull("stop_reason");
      } else {
        message.put("stop_reason", stopReason);
      }
      message.putNull("stop_sequence");
      message.set("usage", usage(tokens, stopReason == null ? 1 : tokens.completionTokens()));
      return message;
    }

    @Override
    public NativeAnswer text(String text, Tokens tokens) {
      ObjectNode message = message("end_turn", tokens);
      message.withArray("content").addObject().put("type", "text").put("text", text);
      return NativeAnswer.json(200, message);
    }

    @Override
    public NativeAnswer toolCall(String name, String argumentsJson, Tokens tokens) {
      ObjectNode message = message("tool_use", tokens);
      ObjectNode use = message.withArray("content").addObject();
      use.put("type", "tool_use").put("id", "toolu_01A09q90qw90lq917835lq9").put("name", name);
      use.set("input", Json.parse(argumentsJson));
      return NativeAnswer.json(200, message);
    }

    /** {@code message_start} and a {@code ping}, as every stream opens. */
    private static SseFrames opened(Tokens tokens) {
      return SseFrames.lf().event("message_start", startEvent(tokens)).event("ping", Json.object().put("type", "ping"));
    }

    static ObjectNode startEvent() {
      return startEvent(new Tokens(10, 0, 0));
    }

    private static ObjectNode startEvent(Tokens tokens) {
      ObjectNode start = Json.object().put("type", "message_start");
      start.set("message", message(null, tokens));
      return start;
    }

    private static void textBlock(SseFrames frames, List<String> pieces) {
      ObjectNode start = Json.object().put("type", "content_block_start").put("index", 0);
      start.putObject("content_block").put("type", "text").put("text", "");
      frames.event("content_block_start", start);
      for (String piece : pieces) {
        ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", piece);
        frames.event("content_block_delta", delta);
      }
    }

    private static SseFrames finished(SseFrames frames, int lastBlock, String stopReason, Tokens tokens) {
      frames.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", lastBlock));
      ObjectNode delta = Json.object().put("type", "message_delta");
      delta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
      delta.putObject("usage").put("output_tokens", tokens.completionTokens());
      frames.event("message_delta", delta);
      return frames.event("message_stop", Json.object().put("type", "message_stop"));
    }

    @Override
    public NativeAnswer streamedText(List<String> pieces, Tokens tokens) {
      SseFrames frames = opened(tokens);
      textBlock(frames, pieces);
      return finished(frames, 0, "end_turn", tokens).answer();
    }

    @Override
    public NativeAnswer streamedToolCall(String name, List<String> argumentPieces, Tokens tokens) {
      SseFrames frames = opened(tokens);
      // Claude often thinks aloud first: a thinking block, then the call.
      ObjectNode thinking = Json.object().put("type", "content_block_start").put("index", 0);
      thinking.putObject("content_block").put("type", "thinking").put("thinking", "");
      frames.event("content_block_start", thinking);
      ObjectNode thought = Json.object().put("type", "content_block_delta").put("index", 0);
      thought.putObject("delta").put("type", "thinking_delta").put("thinking", "The user wants the weather.");
      frames.event("content_block_delta", thought);
      ObjectNode signature = Json.object().put("type", "content_block_delta").put("index", 0);
      signature.putObject("delta").put("type", "signature_delta").put("signature", "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds");
      frames.event("content_block_delta", signature);
      frames.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0));
      ObjectNode start = Json.object().put("type", "content_block_start").put("index", 1);
      start.putObject("content_block").put("type", "tool_use").put("id", "toolu_01T1x1fJ34qAmk2tNTrN7Up6")
          .put("name", name).putObject("input");
      frames.event("content_block_start", start);
      List<String> pieces = new ArrayList<>();
      pieces.add(""); // Anthropic opens the arguments with an empty piece
      pieces.addAll(argumentPieces);
      for (String piece : pieces) {
        ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 1);
        delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
        frames.event("content_block_delta", delta);
      }
      return finished(frames, 1, "tool_use", tokens).answer();
    }

    @Override
    public NativeAnswer cutStream(List<String> pieces) {
      SseFrames frames = opened(new Tokens(10, 0, 0));
      textBlock(frames, pieces);
      return frames.answer();
    }

    @Override
    public NativeAnswer error(int status, String message, long retryAfterSeconds) {
      String type =
          switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> "api_error";
          };
      NativeAnswer answer = NativeAnswer.json(status, errorBody(type, message));
      answer = answer.withHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
      return retryAfterSeconds > 0 ? answer.withHeader("retry-after", Long.toString(retryAfterSeconds)) : answer;
    }

    static ObjectNode errorBody(String type, String message) {
      ObjectNode root = Json.object().put("type", "error");
      root.putObject("error").put("type", type).put("message", message);
      return root;
    }

    @Override
    public NativeAnswer malformedAnswer() {
      return new NativeAnswer(
          200,
          Map.of("content-type", "application/json"),
          "{\"id\":\"msg_01\",\"type\":\"message\",\"content\":[".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public NativeAnswer malformedStreamEvent(List<String> piecesBefore) {
      SseFrames frames = opened(new Tokens(10, 0, 0));
      textBlock(frames, piecesBefore);
      return frames.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{").answer();
    }
  }

  /** Reads a Messages request: top-level system, content blocks, tool_use and tool_result blocks. */
  private record AnthropicView(JsonNode body) implements RequestView {

    @Override
    public String model() {
      return body.path("model").asText();
    }

    @Override
    public boolean streams() {
      return body.path("stream").asBoolean(false);
    }

    @Override
    public Optional<String> system() {
      return body.path("system").isTextual() ? Optional.of(body.path("system").asText()) : Optional.empty();
    }

    @Override
    public List<Turn> turns() {
      List<Turn> turns = new ArrayList<>();
      for (JsonNode message : body.path("messages")) {
        List<String> texts = new ArrayList<>();
        for (JsonNode block : message.path("content")) {
          if (block.path("type").asText().equals("text")) {
            texts.add(block.path("text").asText());
          }
        }
        if (!texts.isEmpty()) {
          turns.add(new Turn(message.path("role").asText(), String.join("\n", texts)));
        }
      }
      return turns;
    }

    private List<JsonNode> blocks(String type) {
      List<JsonNode> found = new ArrayList<>();
      for (JsonNode message : body.path("messages")) {
        for (JsonNode block : message.path("content")) {
          if (block.path("type").asText().equals(type)) {
            found.add(block);
          }
        }
      }
      return found;
    }

    @Override
    public List<Tool> tools() {
      List<Tool> tools = new ArrayList<>();
      for (JsonNode tool : body.path("tools")) {
        tools.add(new Tool(tool.path("name").asText(), tool.path("description").asText(), tool.get("input_schema")));
      }
      return tools;
    }

    @Override
    public List<ToolUse> toolCalls() {
      return blocks("tool_use").stream().map(b -> new ToolUse(b.path("name").asText(), b.get("input"))).toList();
    }

    @Override
    public List<String> toolResults() {
      return blocks("tool_result").stream().map(b -> b.path("content").asText()).toList();
    }

    @Override
    public List<Image> images() {
      return blocks("image").stream()
          .map(b -> new Image(b.at("/source/media_type").asText(), b.at("/source/data").asText()))
          .toList();
    }
  }
}
