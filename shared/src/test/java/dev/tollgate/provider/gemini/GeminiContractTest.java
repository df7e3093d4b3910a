package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

/**
 * The chat adapter contract for Gemini's {@code generateContent} and
 * {@code streamGenerateContent?alt=sse}, whose events are whole responses separated by CRLF.
 */
public class GeminiContractTest extends ChatAdapterContract {

  @Override
  protected FakeServer startServer() {
    return new WireMockFakeServer();
  }

  @Override
  protected Provider provider() {
    return new GeminiProvider(new UpstreamHttp(), MutableClock.startingAt("2026-01-02T03:04:05Z"));
  }

  @Override
  protected Target target(String rootUrl) {
    return UpstreamCalls.target("gemini", "gemini-2.5-flash", rootUrl + "/v1beta", Map.of());
  }

  @Override
  protected WireScript wire() {
    return new GeminiWire();
  }

  @Override
  protected RequestView read(RecordedRequest request) {
    return new GeminiView(request.url(), request.json());
  }

  /** Gemini's documented responses, stream events and errors. */
  public static final class GeminiWire implements WireScript {

    private static ObjectNode usage(Tokens tokens) {
      ObjectNode usage = Json.object();
      usage.put("promptTokenCount", tokens.promptTokens());
      if (tokens.completionTokens() > 0) {
        usage.put("candidatesTokenCount", tokens.completionTokens());
      }
      usage.put("totalTokenCount", tokens.promptTokens() + tokens.completionTokens());
      if (tokens.cachedTokens() > 0) {
        usage.put("cachedContentTokenCount", tokens.cachedTokens());
      }
      usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", tokens.promptTokens());
      return usage;
    }

    /** One {@code GenerateContentResponse} with one candidate holding {@code parts}. */
    private static ObjectNode response(ArrayNode parts, String finishReason, Tokens tokens) {
      ObjectNode response = Json.object();
      ObjectNode candidate = response.putArray("candidates").addObject();
      ObjectNode content = candidate.putObject("content");
      content.set("parts", parts);
      content.put("role", "model");
      if (finishReason != null) {
        candidate.put("finishReason", finishReason);
      }
      candidate.put("index", 0);
      response.set("usageMetadata", usage(tokens));
      response.put("modelVersion", "gemini-2.5-flash");
      response.put("responseId", "mGkAaYTqF4mUxN8P");
      return response;
    }

    private static ArrayNode text(String text) {
      ArrayNode parts = Json.array();
      parts.addObject().put("text", text);
      return parts;
    }

    private static ArrayNode call(String name, String argumentsJson) {
      ArrayNode parts = Json.array();
      ObjectNode call = parts.addObject().putObject("functionCall");
      call.put("name", name);
      call.set("args", Json.parse(argumentsJson));
      return parts;
    }

    @Override
    public NativeAnswer text(String text, Tokens tokens) {
      return NativeAnswer.json(200, response(text(text), "STOP", tokens));
    }

    @Override
    public NativeAnswer toolCall(String name, String argumentsJson, Tokens tokens) {
      return NativeAnswer.json(200, response(call(name, argumentsJson), "STOP", tokens));
    }

    /** Every event but the last carries the prompt count only; the last the finish reason and totals. */
    private static SseFrames pieces(List<String> pieces, int upTo) {
      SseFrames frames = SseFrames.crlf();
      for (int i = 0; i < upTo; i++) {
        frames.data(response(text(pieces.get(i)), null, new Tokens(10, 0, 0)));
      }
      return frames;
    }

    @Override
    public NativeAnswer streamedText(List<String> pieces, Tokens tokens) {
      SseFrames frames = pieces(pieces, pieces.size() - 1);
      return frames.data(response(text(pieces.getLast()), "STOP", tokens)).answer();
    }

    @Override
    public NativeAnswer streamedToolCall(String name, List<String> argumentPieces, Tokens tokens) {
      // Gemini sends a call whole, and says STOP even then.
      return SseFrames.crlf().data(response(call(name, String.join("", argumentPieces)), "STOP", tokens)).answer();
    }

    @Override
    public NativeAnswer cutStream(List<String> pieces) {
      return pieces(pieces, pieces.size()).answer();
    }

    @Override
    public NativeAnswer error(int status, String message, long retryAfterSeconds) {
      String grpc =
          switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 429 -> "RESOURCE_EXHAUSTED";
            default -> "INTERNAL";
          };
      ObjectNode root = Json.object();
      ObjectNode error = root.putObject("error");
      error.put("code", status);
      error.put("message", message);
      error.put("status", grpc);
      if (retryAfterSeconds > 0) {
        // Gemini names its wait in a RetryInfo detail, not a Retry-After header.
        error.putArray("details").addObject()
            .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
            .put("retryDelay", retryAfterSeconds + "s");
      }
      return NativeAnswer.json(status, root);
    }

    @Override
    public NativeAnswer malformedAnswer() {
      return new NativeAnswer(
          200,
          Map.of("content-type", "application/json"),
          "{\"candidates\": [{\"content\": {\"parts\": [".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public NativeAnswer malformedStreamEvent(List<String> piecesBefore) {
      return pieces(piecesBefore, piecesBefore.size()).data("{\"candidates\": [{\"content\": {\"parts\": [").answer();
    }
  }

  /** Reads a {@code GenerateContentRequest}: the model and the streaming method from the URL. */
  private record GeminiView(String url, JsonNode body) implements RequestView {

    @Override
    public String model() {
      String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
      String resource = path.substring(path.indexOf("/models/") + "/models/".length());
      return resource.substring(0, resource.indexOf(':'));
    }

    @Override
    public boolean streams() {
      return url.contains(":streamGenerateContent?") && url.contains("alt=sse");
    }

    @Override
    public Optional<String> system() {
      List<String> texts = new ArrayList<>();
      body.at("/systemInstruction/parts").forEach(part -> texts.add(part.path("text").asText()));
      return texts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", texts));
    }

    @Override
    public List<Turn> turns() {
      List<Turn> turns = new ArrayList<>();
      for (JsonNode content : body.path("contents")) {
        List<String> texts = new ArrayList<>();
        for (JsonNode part : content.path("parts")) {
          if (part.has("text")) {
            texts.add(part.path("text").asText());
          }
        }
        if (!texts.isEmpty()) {
          String role = content.path("role").asText().equals("model") ? "assistant" : "user";
          turns.add(new Turn(role, String.join("\n", texts)));
        }
      }
      return turns;
    }

    private List<JsonNode> parts(String kind) {
      List<JsonNode> found = new ArrayList<>();
      for (JsonNode content : body.path("contents")) {
        for (JsonNode part : content.path("parts")) {
          if (part.has(kind)) {
            found.add(part.get(kind));
          }
        }
      }
      return found;
    }

    @Override
    public List<Tool> tools() {
      List<Tool> tools = new ArrayList<>();
      for (JsonNode declaration : body.at("/tools/0/functionDeclarations")) {
        tools.add(
            new Tool(
                declaration.path("name").asText(), declaration.path("description").asText(), declaration.get("parameters")));
      }
      return tools;
    }

    @Override
    public List<ToolUse> toolCalls() {
      return parts("functionCall").stream().map(c -> new ToolUse(c.path("name").asText(), c.get("args"))).toList();
    }

    @Override
    public List<String> toolResults() {
      return parts("functionResponse").stream().map(r -> r.at("/response/content").asText()).toList();
    }

    @Override
    public List<Image> images() {
      return parts("inlineData").stream()
          .map(d -> new Image(d.path("mimeType").asText(), d.path("data").asText()))
          .toList();
    }
  }
}
