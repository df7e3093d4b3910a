package dev.tollgate.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.provider.EmbeddingCall;
import dev.tollgate.provider.EmbeddingProvider;
import dev.tollgate.provider.EmbeddingResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.HttpFailures;
import dev.tollgate.provider.Provider;
import dev.tollgate.provider.mock.HashEmbedding;
import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.provider.mock.EchoCompletion;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An in-test implementation of the {@link Provider} port: each target id is told how to behave
 * (answer, fail with a {@link FailureKind}, or answer with an HTTP error status, classified as the
 * HTTP providers classify it), and every call is recorded. Embeddings are scripted the same
 * way with {@link #onEmbed}; an unscripted target embeds each text as {@link HashEmbedding} of
 * {@link #EMBEDDING_DIMENSIONS}, with the target id as the model and one token per input.
 */
public final class ScriptedProvider implements EmbeddingProvider {

  public static final int EMBEDDING_DIMENSIONS = 8;

  public static final String TYPE = "scripted";
  public static final ProviderSpec SPEC = new ProviderSpec(TYPE, null, false, "scripted-model", false, Map.of());

  /** What a target does when called. */
  @FunctionalInterface
  public interface Behaviour {
    UpstreamResponse respond(UpstreamCall call) throws UpstreamFailure;
  }

  /** What a target does when asked for embeddings. */
  @FunctionalInterface
  public interface EmbedBehaviour {
    EmbeddingResponse respond(EmbeddingCall call) throws UpstreamFailure;
  }

  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final List<UpstreamCall> calls = new CopyOnWriteArrayList<>();
  private final Map<String, EmbedBehaviour> embedBehaviours = new ConcurrentHashMap<>();
  private final List<EmbeddingCall> embedCalls = new CopyOnWriteArrayList<>();

  /** Scripts a target's embeddings; unscripted targets embed. */
  public ScriptedProvider onEmbed(String targetId, EmbedBehaviour behaviour) {
    embedBehaviours.put(targetId, behaviour);
    return this;
  }

  public List<EmbeddingCall> embedCalls() {
    return List.copyOf(embedCalls);
  }

  /** The ids of the targets asked for embeddings, in call order. */
  public List<String> embeddedTargets() {
    return embedCalls.stream().map(call -> call.target().id()).toList();
  }

  @Override
  public EmbeddingResponse embed(EmbeddingCall call) throws UpstreamFailure {
    embedCalls.add(call);
    return embedBehaviours.getOrDefault(call.target().id(), ScriptedProvider::embedding).respond(call);
  }

  /** Hash vectors of the inputs (texts, or token arrays as JSON), the target id as model, one token per input. */
  public static EmbeddingResponse embedding(EmbeddingCall call) {
    List<String> inputs = call.request().texts();
    if (call.request().tokenInput()) {
      var input = call.request().body().path("input");
      inputs = call.request().inputCount() == 1 && !input.get(0).isArray()
          ? List.of(input.toString())
          : java.util.stream.StreamSupport.stream(input.spliterator(), false).map(Object::toString).toList();
    }
    return new EmbeddingResponse(
        inputs.stream().map(text -> HashEmbedding.of(text, EMBEDDING_DIMENSIONS)).toList(),
        call.target().id(),
        inputs.size());
  }

  /**
   * An embeddings call that fails as the chat {@code failing} behaviour does (e.g.
   * {@link #httpStatus}); it must fail.
   */
  public static EmbedBehaviour asEmbed(Behaviour failing) {
    return call -> {
      failing.respond(new UpstreamCall(call.target(), null, call.credential(), call.timeout(), call.requestId()));
      throw new IllegalStateException("asEmbed takes a failing behaviour");
    };
  }

  /** Fails an embeddings call without an HTTP status. */
  public static EmbedBehaviour embedFails(FailureKind kind) {
    return call -> {
      throw UpstreamFailure.of(kind, kind.label());
    };
  }

  /** Scripts a target; unscripted targets answer. */
  public ScriptedProvider on(String targetId, Behaviour behaviour) {
    behaviours.put(targetId, behaviour);
    return this;
  }

  public List<UpstreamCall> calls() {
    return List.copyOf(calls);
  }

  /** The ids of the targets called, in call order. */
  public List<String> calledTargets() {
    return calls.stream().map(call -> call.target().id()).toList();
  }

  @Override
  public ProviderSpec spec() {
    return SPEC;
  }

  @Override
  public UpstreamResponse complete(UpstreamCall call) throws UpstreamFailure {
    calls.add(call);
    return behaviours.getOrDefault(call.target().id(), ScriptedProvider::answer).respond(call);
  }

  /** What a target does when asked to stream. */
  @FunctionalInterface
  public interface StreamBehaviour {
    ChunkStream open(UpstreamCall call) throws UpstreamFailure;
  }

  private final Map<String, StreamBehaviour> streamBehaviours = new ConcurrentHashMap<>();

  /** Scripts a target's streams; unscripted targets replay their whole answer as a stream. */
  public ScriptedProvider onStream(String targetId, StreamBehaviour behaviour) {
    streamBehaviours.put(targetId, behaviour);
    return this;
  }

  @Override
  public ChunkStream stream(UpstreamCall call) throws UpstreamFailure {
    StreamBehaviour scripted = streamBehaviours.get(call.target().id());
    if (scripted == null) {
      return EmbeddingProvider.super.stream(call);
    }
    calls.add(call);
    return scripted.open(call);
  }

  /** The text an answering target puts in its completion, so a test can tell who answered. */
  public static String answerText(String targetId) {
    return "answer from " + targetId;
  }

  /** A completion whose content names the answering target. */
  public static UpstreamResponse answer(UpstreamCall call) {
    ObjectNode completion = EchoCompletion.of(call.request(), call.target().model(), "chatcmpl-" + call.requestId(), 0);
    ((ObjectNode) completion.path("choices").get(0).path("message")).put("content", answerText(call.target().id()));
    return new UpstreamResponse(completion, Usage.fromOpenAi(completion.get("usage")));
  }

  /** Fails without an HTTP status (network, timeout, bad answer, credential). */
  public static Behaviour fails(FailureKind kind) {
    if (kind == FailureKind.REQUEST_REJECTED) {
      throw new IllegalArgumentException("a rejection carries the upstream's error: use httpStatus(4xx, ...)");
    }
    return call -> {
      throw UpstreamFailure.of(kind, kind.label());
    };
  }

  /** Answers with an HTTP error, classified by {@link HttpFailures} as a real HTTP provider would. */
  public static Behaviour httpStatus(int status, Map<String, String> headers, String body) {
    return call -> {
      UpstreamHttp.Result result =
          new UpstreamHttp.Result(
              status,
              HttpHeaders.of(
                  headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
                  (name, value) -> true),
              body.getBytes(StandardCharsets.UTF_8));
      throw HttpFailures.classify(
          call.target().id(), result, HttpFailures.openAiErrorMessage(result.body()), call.credential());
    };
  }

  public static Behaviour httpStatus(int status) {
    return httpStatus(status, Map.of(), errorBody("HTTP " + status + " from upstream"));
  }

  /** HTTP 429 with {@code Retry-After} in seconds; 0 sends no header. */
  public static Behaviour rateLimited(long retryAfterSeconds) {
    Map<String, String> headers = retryAfterSeconds > 0 ? Map.of("retry-after", Long.toString(retryAfterSeconds)) : Map.of();
    return httpStatus(429, headers, errorBody("slow down"));
  }

  /** An OpenAI-style error body with {@code message}. */
  public static String errorBody(String message) {
    ObjectNode root = Json.object();
    root.putObject("error").put("message", message);
    return Json.text(root);
  }
}
