package dev.tollgate.provider.gemini;

import dev.tollgate.api.Json;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.SseChunkStream;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.routing.Target;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls Google's Gemini API ({@code models/{model}:generateContent}) natively, translating the
 * OpenAI request and answer (see {@link GeminiRequestTranslator} for what is carried over), and
 * streams through {@code :streamGenerateContent?alt=sse} read by {@link GeminiStreamTranslator}.
 * The key goes in the {@code x-goog-api-key} header, never in the URL, so it cannot reach a log
 * line.
 */
public final class GeminiProvider implements Provider {

  public static final String TYPE = "gemini";
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

  private static final ProviderSpec SPEC = new ProviderSpec(TYPE, DEFAULT_BASE_URL, false, null, true, Map.of());

  private final UpstreamHttp http;
  private final InstantSource clock;

  public GeminiProvider(UpstreamHttp http, InstantSource clock) {
    this.http = http;
    this.clock = clock;
  }

  @Override
  public ProviderSpec spec() {
    return SPEC;
  }

  @Override
  public UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure {
    byte[] body = Json.bytes(GeminiRequestTranslator.translate(call.request().body()));
    UpstreamHttp.Result result = http.post(generateContentUri(call.target()), headers(call), body, call.timeout());
    if (result.status() / 100 != 2) {
      throw GeminiErrors.classify(call.target().id(), result, call.credential());
    }
    return GeminiResponseTranslator.translate(result.body(), call.requestId(), call.target().model(), clock.instant());
  }

  @Override
  public ChunkStream stream(UpstreamCall call) throws UpstreamFailure {
    byte[] body = Json.bytes(GeminiRequestTranslator.translate(call.request().body()));
    Map<String, String> headers = headers(call);
    headers.put("accept", "text/event-stream");
    UpstreamHttp.StreamResponse response =
        http.openStream(streamGenerateContentUri(call.target()), headers, body, call.timeout());
    if (response.status() / 100 != 2) {
      throw GeminiErrors.classify(call.target().id(), response.buffered(), call.credential());
    }
    int candidates = call.request().body().path("n").asInt(1);
    return new SseChunkStream(
        response,
        new GeminiStreamTranslator(
            call.requestId(), call.target().model(), clock.instant().getEpochSecond(), candidates));
  }

  /** {@code {baseUrl}/models/{model}:generateContent}; a model written as {@code models/x} is taken as {@code x}. */
  static URI generateContentUri(Target target) {
    return URI.create(modelUrl(target) + ":generateContent");
  }

  /** The streaming method, asked for server-sent events rather than one JSON array. */
  static URI streamGenerateContentUri(Target target) {
    return URI.create(modelUrl(target) + ":streamGenerateContent?alt=sse");
  }

  private static String modelUrl(Target target) {
    String model = target.model().startsWith("models/") ? target.model().substring("models/".length()) : target.model();
    return target.baseUrl() + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8);
  }

  private static Map<String, String> headers(UpstreamCall call) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    headers.put("x-request-id", call.requestId());
    call.credential().ifPresent(secret -> headers.put("x-goog-api-key", secret.value()));
    return headers;
  }
}
