package dev.tollgate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls any OpenAI-compatible chat completions endpoint. The client's body is forwarded whole,
 * unknown fields included; only {@code model} is replaced by the target's upstream model, and
 * {@code stream} is dropped because this path buffers the answer.
 */
public final class OpenAiCompatibleProvider implements Provider {

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

  private Map<String, String> headers(UpstreamCall call) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    headers.put("x-request-id", call.requestId());
    call.credential()
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
