package dev.tollgate.provider.openai;

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
import dev.tollgate.testing.UpstreamCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chat adapter contract for OpenAI's chat completions API, which every compatible vendor shares. */
public class OpenAiContractTest extends ChatAdapterContract {

  private static final OpenAiVendor OPENAI =
      OpenAiVendor.ALL.stream().filter(v -> v.spec().type().equals("openai")).findFirst().orElseThrow();

  @Override
  protected FakeServer startServer() {
    return new WireMockFakeServer();
  }

  @Override
  protected Provider provider() {
    return new OpenAiCompatibleProvider(OPENAI, new UpstreamHttp());
  }

  @Override
  protected Target target(String rootUrl) {
    return UpstreamCalls.target("openai", "gpt-4.1-mini", rootUrl + "/v1", Map.of());
  }

  @Override
  protected WireScript wire() {
    return new OpenAiWire();
  }

  @Override
  protected RequestView read(RecordedRequest request) {
    return new OpenAiView(request.json());
  }

  /** OpenAI's documented chat completion bodies, chunks and errors. */
  public static final class OpenAiWire implements WireScript {

    private static final String ID = "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT";
    private static final long CREATED = 1_741_569_952;
    private static final String MODEL = "gpt-4.1-mini-2025-04-14";

    private static ObjectNode usage(Tokens tokens) {
      ObjectNode usage = Json.object();
      usage.put("prompt_tokens", tokens.promptTokens());
      usage.put("completion_tokens", tokens.completionTokens());
      usage.put("total_tokens", tokens.promptTokens() + tokens.completionTokens());
      usage.putObject("prompt_tokens_details").put("cached_tokens", tokens.cachedTokens()).put("audio_tokens", 0);
      usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
          .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
      return usage;
    }

    private static ObjectNode completion(ObjectNode message, String finishReason, Tokens tokens) {
      ObjectNode completion = Json.object();
      completion.put("id", ID);
      completion.put("object", "chat.completion");
      completion.put("created", CREATED);
      completion.put("model", MODEL);
      ObjectNode choice = completion.putArray("choices").addObject();
      choice.put("index", 0);
      choice.set("message", message);
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      completion.set("usage", usage(tokens));
      completion.put("service_tier", "default");
      completion.put("system_fingerprint", "fp_50cad350e4");
      return completion;
    }

    @Override
    public NativeAnswer text(String text, Tokens tokens) {
      ObjectNode message = Json.object().put("role", "assistant").put("content", text);
      message.putNull("refusal");
      message.putArray("annotations");
      return NativeAnswer.json(200, completion(message, "stop", tokens));
    }

    @Override
    public NativeAnswer toolCall(String name, String argumentsJson, Tokens tokens) {
      ObjectNode message = Json.object().put("role", "assistant");
      message.putNull("content");
      message.putNull("refusal");
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", "call_DdmO9pD3xa9XTPNJ32zg2hcA").put("type", "function");
      call.putObject("function").put("name", name).put("arguments", argumentsJson);
      return NativeAnswer.json(200, completion(message, "tool_calls", tokens));
    }

    private static ObjectNode chunk(ObjectNode delta, String finishReason) {
      ObjectNode chunk = Json.object();
      chunk.put("id", ID);
      chunk.put("object", "chat.completion.chunk");
      chunk.put("created", CREATED);
      chunk.put("model", MODEL);
      chunk.put("service_tier", "default");
      chunk.put("system_fingerprint", "fp_50cad350e4");
      ObjectNode choice = chunk.putArray("choices").addObject();
      choice.put("index", 0);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      if (finishReason == null) {
        choice.putNull("finish_reason");
      } else {
        choice.put("finish_reason", finishReason);
      }
      chunk.putNull("usage"); // as OpenAI sends it when include_usage is on
      return chunk;
    }

    private static SseFrames opened(List<String> pieces) {
      ObjectNode role = Json.object().put("role", "assistant").put("content", "");
      role.putNull("refusal");
      SseFrames frames = SseFrames.lf().data(chunk(role, null));
      pieces.forEach(piece -> frames.data(chunk(Json.object().put("content", piece), null)));
      return frames;
    }

    private static SseFrames finished(SseFrames frames, String finishReason, Tokens tokens) {
      frames.data(chunk(Json.object(), finishReason));
      ObjectNode usageChunk = chunk(Json.object(), null);
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage(tokens));
      return frames.data(usageChunk).data("[DONE]");
    }

    @Override
    public NativeAnswer streamedText(List<String> pieces, Tokens tokens) {
      return finished(opened(pieces), "stop", tokens).answer();
    }

    @Override
    public NativeAnswer streamedToolCall(String name, List<String> argumentPieces, Tokens tokens) {
      SseFrames frames = opened(List.of());
      ObjectNode start = Json.object();
      ObjectNode call = start.putArray("tool_calls").addObject();
      call.put("index", 0).put("id", "call_DdmO9pD3xa9XTPNJ32zg2hcA").put("type", "function");
      call.putObject("function").put("name", name).put("arguments", "");
      frames.data(chunk(start, null));
      for (String piece : argumentPieces) {
        ObjectNode delta = Json.object();
        delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", piece);
        frames.data(chunk(delta, null));
      }
      return finished(frames, "tool_calls", tokens).answer();
    }

    @Override
    public NativeAnswer cutStream(List<String> pieces) {
      return opened(pieces).answer();
    }

    @Override
    public NativeAnswer error(int status, String message, long retryAfterSeconds) {
      ObjectNode root = Json.object();
      ObjectNode error = root.putObject("error");
      error.put("message", message);
      error.put("type", status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error");
      error.putNull("param");
      error.put("code", status == 401 ? "invalid_api_key" : null);
      NativeAnswer answer = NativeAnswer.json(status, root);
      return retryAfterSeconds > 0 ? answer.withHeader("retry-after", Long.toString(retryAfterSeconds)) : answer;
    }

    @Override
    public NativeAnswer malformedAnswer() {
      return new NativeAnswer(
          200, Map.of("content-type", "application/json"), ("{\"id\":\"" + ID + "\",\"choices\":[").getBytes());
    }

    @Override
    public NativeAnswer malformedStreamEvent(List<String> piecesBefore) {
      return opened(piecesBefore).data("{\"id\":\"" + ID + "\",\"choices\":[{\"delta\":").answer();
    }
  }

  /** Reads OpenAI's own request format. */
  private record OpenAiView(JsonNode body) implements RequestView {

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
      for (JsonNode message : body.path("messages")) {
        if (message.path("role").asText().equals("system")) {
          return Optional.of(text(message.get("content")));
        }
      }
      return Optional.empty();
    }

    @Override
    public List<Turn> turns() {
      List<Turn> turns = new ArrayList<>();
      for (JsonNode message : body.path("messages")) {
        String role = message.path("role").asText();
        String text = text(message.get("content"));
        if ((role.equals("user") || role.equals("assistant")) && !text.isEmpty()) {
          turns.add(new Turn(role, text));
        }
      }
      return turns;
    }

    private static String text(JsonNode content) {
      if (content == null || content.isNull()) {
        return "";
      }
      if (content.isTextual()) {
        return content.asText();
      }
      List<String> texts = new ArrayList<>();
      for (JsonNode part : content) {
        if (part.path("type").asText().equals("text")) {
          texts.add(part.path("text").asText());
        }
      }
      return String.join("\n", texts);
    }

    @Override
    public List<Tool> tools() {
      List<Tool> tools = new ArrayList<>();
      for (JsonNode tool : body.path("tools")) {
        JsonNode function = tool.path("function");
        tools.add(new Tool(function.path("name").asText(), function.path("description").asText(), function.get("parameters")));
      }
      return tools;
    }

    @Override
    public List<ToolUse> toolCalls() {
      List<ToolUse> uses = new ArrayList<>();
      for (JsonNode message : body.path("messages")) {
        for (JsonNode call : message.path("tool_calls")) {
          uses.add(new ToolUse(call.at("/function/name").asText(), Json.parse(call.at("/function/arguments").asText())));
        }
      }
      return uses;
    }

    @Override
    public List<String> toolResults() {
      List<String> results = new ArrayList<>();
      for (JsonNode message : body.path("messages")) {
        if (message.path("role").asText().equals("tool")) {
          results.add(text(message.get("content")));
        }
      }
      return results;
    }

    @Override
    public List<Image> images() {
      List<Image> images = new ArrayList<>();
      for (JsonNode message : body.path("messages")) {
        for (JsonNode part : message.path("content")) {
          String url = part.at("/image_url/url").asText("");
          if (url.startsWith("data:")) {
            int semicolon = url.indexOf(';');
            images.add(new Image(url.substring("data:".length(), semicolon), url.substring(url.indexOf(',') + 1)));
          }
        }
      }
      return images;
    }
  }
}
