package dev.tollgate.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.ProviderSpec.OptionRule;
import dev.tollgate.provider.SseChunkStream;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import java.net.URI;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls Anthropic's Messages API: the OpenAI-shaped request is translated by
 * {@link AnthropicRequest}, the answer back by {@link AnthropicResponse}. The key goes in
 * {@code x-api-key}, the API version in {@code anthropic-version}. Streams natively, read by
 * {@link AnthropicStreamTranslator}.
 */
public final class AnthropicProvider implements Provider {

  public static final String TYPE = "anthropic";
  public static final String VERSION_OPTION = "anthropicVersion";
  public static final String DEFAULT_VERSION = "2023-06-01";
  public static final ProviderSpec SPEC =
      new ProviderSpec(
          TYPE,
          "https://api.anthropic.com/v1",
          false,
          null,
          true,
          Map.of(VERSION_OPTION, OptionRule.text("\\d{4}-\\d{2}-\\d{2}", "an anthropic-version such as 2023-06-01")));

  private final UpstreamHttp http;
  private final InstantSource clock;

  public AnthropicProvider(UpstreamHttp http, InstantSource clock) {
    this.http = http;
    this.clock = clock;
  }

  @Override
  public ProviderSpec spec() {
    return SPEC;
  }

  @Override
  public UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure {
    ObjectNode body = AnthropicRequest.from(call.request().body(), call.target().model(), call.target().id());
    UpstreamHttp.Result result = http.post(messagesUri(call), headers(call), Json.bytes(body), call.timeout());
    if (result.status() / 100 != 2) {
      throw refused(call, result);
    }
    return AnthropicResponse.toCompletion(result.body(), call.target().model(), clock.instant().getEpochSecond());
  }

  @Override
  public ChunkStream stream(UpstreamCall call) throws UpstreamFailure {
    ObjectNode body = AnthropicRequest.from(call.request().body(), call.target().model(), call.target().id());
    body.put("stream", true);
    Map<String, String> headers = headers(call);
    headers.put("accept", "text/event-stream");
    UpstreamHttp.StreamResponse response = http.openStream(messagesUri(call), headers, Json.bytes(body), call.timeout());
    if (response.status() / 100 != 2) {
      throw refused(call, response.buffered());
    }
    return new SseChunkStream(
        response, new AnthropicStreamTranslator(call.target().model(), clock.instant().getEpochSecond()));
  }

  private static URI messagesUri(UpstreamCall call) {
    return URI.create(call.target().baseUrl() + "/messages");
  }

  /** Anthropic's {"type":"error","error":{"type","message"}} keeps the message where OpenAI does. */
  private static UpstreamFailure refused(UpstreamCall call, UpstreamHttp.Result result) {
    return HttpFailures.classify(
        call.target().id(), result, HttpFailures.openAiErrorMessage(result.body()), call.credential());
  }

  private static Map<String, String> headers(UpstreamCall call) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    headers.put("x-request-id", call.requestId());
    headers.put("anthropic-version", call.target().option(VERSION_OPTION, DEFAULT_VERSION));
    call.credential().ifPresent(secret -> headers.put("x-api-key", secret.value()));
    return headers;
  }
}
