package dev.tollgate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingProvider;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.SseChunkStream;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Calls any OpenAI-compatible chat completions endpoint. The client's body is forwarded whole,
 * unknown fields included; only {@code model} is replaced by the target's upstream model, and
 * the stream settings are set by the path (dropped when buffering, usage forced when streaming).
 * Embeddings go the same way to {@code /embeddings}, token-id input and {@code dimensions}
 * included (an upstream model that cannot honour them answers 400, passed to the client).
 */
public final class OpenAiCompatibleProvider implements EmbeddingProvider {

  private final OpenAiVendor vendor;
  private final UpstreamHttp http;

  public OpenAiCompatibleProvider(OpenAiVendor vendor, UpstreamHttp http) {
    this.vendor = vendor;
    this.http = http;
  }

  @Override
  public ProviderSpec spec() {
    return vendor.spec();
  }

  @Override
  public UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure {
    ObjectNode body = call.request().body().deepCopy();
    body.put("model", call.target().model());
    body.remove("stream");
    body.remove("stream_options");
    UpstreamHttp.Result result =
        http.post(
            vendor.chatCompletionsUri(call.target()), headers(call), Json.bytes(body), call.timeout());
    if (result.status() / 100 != 2) {
      throw HttpFailures.classify(
          call.target().id(), result, HttpFailures.openAiErrorMessage(result.body()), call.credential());
    }
    ObjectNode completion = parseCompletion(result.body());
    return new UpstreamResponse(completion, Usage.fromOpenAi(completion.get("usage")));
  }

  /** Streams natively, asking for the usage chunk so tokens are always known. */
  @Override
  public ChunkStream stream(UpstreamCall call) throws UpstreamFailure {
    ObjectNode body = call.request().body().deepCopy();
    body.put("model", call.target().model());
    body.put("stream", true);
    ObjectNode options = Json.object();
    if (body.get("stream_options") instanceof ObjectNode given) {
      options = given;
    }
    options.put("include_usage", true);
    body.set("stream_options", options);
    Map<String, String> headers = headers(call);
    headers.put("accept", "text/event-stream");
    UpstreamHttp.StreamResponse response =
        http.openStream(vendor.chatCompletionsUri(call.target()), headers, Json.bytes(body), call.timeout());
    if (response.status() / 100 != 2) {
      UpstreamHttp.Result refused = response.buffered();
      throw HttpFailures.classify(
          call.target().id(), refused, HttpFailures.openAiErrorMessage(refused.body()), call.credential());
    }
    if (answersWhole(response)) {
      // Some self-hosted servers ignore "stream": their whole answer is replayed as a stream.
      ObjectNode completion = parseCompletion(response.buffered().body());
      return BufferedChunkStream.of(new UpstreamResponse(completion, Usage.fromOpenAi(completion.get("usage"))));
    }
    return new SseChunkStream(response, new OpenAiStreamTranslator());
  }

  private static boolean answersWhole(UpstreamHttp.StreamResponse response) {
    return response
        .headers()
        .firstValue("content-type")
        .map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/json"))
        .orElse(false);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingCall call) throws UpstreamFailure {
    ObjectNode body = call.request().body().deepCopy();
    body.put("model", call.target().model());
    UpstreamHttp.Result result =
        http.post(
            vendor.embeddingsUri(call.target()),
            headers(call.requestId(), call.credential()),
            Json.bytes(body),
            call.timeout());
    if (result.status() / 100 != 2) {
      throw HttpFailures.classify(
          call.target().id(), result, HttpFailures.openAiErrorMessage(result.body()), call.credential());
    }
    return OpenAiEmbeddingAnswer.parse(result.body(), call.target().model());
  }

  private Map<String, String> headers(UpstreamCall call) {
    return headers(call.requestId(), call.credential());
  }

  private Map<String, String> headers(String requestId, Optional<Secret> credential) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    headers.put("x-request-id", requestId);
    credential
        .ifPresent(
            secret -> {
              switch (vendor.auth()) {
                case BEARER -> headers.put("authorization", "Bearer " + secret.value());
                case API_KEY_HEADER -> headers.put("api-key", secret.value());
              }
            });
    return headers;
  }

  static ObjectNode parseCompletion(byte[] body) throws UpstreamFailure {
    JsonNode parsed = HttpFailures.parseJsonBody(body);
    if (!(parsed instanceof ObjectNode completion) || !completion.path("choices").isArray()) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response is not a chat completion (no 'choices')");
    }
    return completion;
  }
}
