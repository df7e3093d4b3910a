package dev.tollgate.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEvent;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.StreamTranslator;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.List;

/**
 * Reads an OpenAI-compatible stream: chunks pass through as they are, the usage (in the
 * usage-only chunk, or on the last chunk as some servers send it) is taken out and kept, an
 * {@code error} object fails the stream, and {@code [DONE]} ends it (or, for servers that leave
 * it out, the end of the body after a finish reason).
 */
final class OpenAiStreamTranslator implements StreamTranslator {

  private boolean done;
  private boolean sawFinish;
  private Usage usage = Usage.NONE;

  @Override
  public List<ObjectNode> onEvent(SseEvent event) throws UpstreamFailure {
    if (event.data().equals("[DONE]")) {
      done = true;
      return List.of();
    }
    if (!(Json.parseOrNull(event.data()) instanceof ObjectNode chunk)) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "a stream event is not a JSON object");
    }
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject()) {
      throw UpstreamFailure.of(FailureKind.SERVER_ERROR, "the upstream reported an error mid-stream");
    }
    JsonNode reported = chunk.remove("usage");
    if (reported != null && reported.isObject()) {
      usage = Usage.fromOpenAi(reported);
    }
    JsonNode choices = chunk.get("choices");
    if (choices == null || !choices.isArray()) {
      throw UpstreamFailure.of(FailureKind.BAD_RESPONSE, "a stream chunk has no 'choices'");
    }
    for (JsonNode choice : choices) {
      sawFinish |= choice.path("finish_reason").isTextual();
    }
    return choices.isEmpty() ? List.of() : List.of(chunk);
  }

  /** Some servers close the stream after the finish reason without {@code [DONE]}; that is not a cut. */
  @Override
  public boolean completeAtEnd() {
    return done || sawFinish;
  }

  @Override
  public boolean finished() {
    return done;
  }

  @Override
  public Usage usage() {
    return usage;
  }
}
