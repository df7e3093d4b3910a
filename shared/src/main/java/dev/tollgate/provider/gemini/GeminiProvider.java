package dev.tollgate.provider.gemini;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingProvider;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.Secret;
import dev.tollgate.provider.TokenEstimate;
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
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls Google's Gemini API ({@code models/{model}:generateContent}) natively, translating the
 * OpenAI request and answer (see {@link GeminiRequestTranslator} for what is carried over), and
 * streams through {@code :streamGenerateContent?alt=sse} read by {@link GeminiStreamTranslator}. The
 * key goes in the {@code x-goog-api-key} header, never in the URL, so it cannot reach a log line.
 * Embeddings use {@code :embedContent} / {@code :batchEmbedContents} (see {@link GeminiEmbeddings});
 * Gemini reports no token count for them, so usage is estimated at four characters a token.
 */
public final class GeminiProvider implements EmbeddingProvider {

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

  @Override
  public Optional<ApiError> refuses(EmbeddingsRequest request) {
    return EmbeddingProvider.textOnly(request, TYPE);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingCall call) throws UpstreamFailure {
    String model = bareModel(call.target());
    List<String> texts = call.request().texts();
    long deadline = System.nanoTime() + call.timeout().toNanos();
    List<float[]> vectors = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += GeminiEmbeddings.MAX_BATCH) {
      List<String> batch = texts.subList(from, Math.min(texts.size(), from + GeminiEmbeddings.MAX_BATCH));
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw UpstreamFailure.of(FailureKind.TIMED_OUT, "timed out after " + call.timeout().toMillis() + " ms");
      }
      UpstreamHttp.Result result =
          http.post(
              modelUri(call.target(), GeminiEmbeddings.method(batch)),
              headers(call.requestId(), call.credential()),
              Json.bytes(GeminiEmbeddings.body(batch, model, call.request())),
              Duration.ofNanos(remaining));
      if (result.status() / 100 != 2) {
        throw GeminiErrors.classify(call.target().id(), result, call.credential());
      }
      vectors.addAll(GeminiEmbeddings.vectors(result.body(), batch.size()));
    }
    long tokens = texts.stream().mapToLong(TokenEstimate::of).sum();
    return new EmbeddingResponse(vectors, model, tokens);
  }

  /** {@code {baseUrl}/models/{model}:generateContent}; a model written as {@code models/x} is taken as {@code x}. */
  static URI generateContentUri(Target target) {
    return modelUri(target, "generateContent");
  }

  /** The streaming method, asked for server-sent events rather than one JSON array. */
  static URI streamGenerateContentUri(Target target) {
    return modelUri(target, "streamGenerateContent?alt=sse");
  }

  private static URI modelUri(Target target, String method) {
    return URI.create(
        target.baseUrl() + "/models/" + URLEncoder.encode(bareModel(target), StandardCharsets.UTF_8) + ":" + method);
  }

  private static String bareModel(Target target) {
    return target.model().startsWith("models/") ? target.model().substring("models/".length()) : target.model();
  }

  private static Map<String, String> headers(UpstreamCall call) {
    return headers(call.requestId(), call.credential());
  }

  private static Map<String, String> headers(String requestId, Optional<Secret> credential) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("accept", "application/json");
    headers.put("x-request-id", requestId);
    credential.ifPresent(secret -> headers.put("x-goog-api-key", secret.value()));
    return headers;
  }
}
