package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.provider.ChunkStream;

/** What a policy answers; rendered to bytes only at the edge, so later policies can inspect it. */
public sealed interface Reply {

  /** A chat completion; sent as JSON, or as an SSE stream when the client asked to stream. */
  record Completion(ObjectNode completion, boolean stream, boolean includeUsage) implements Reply {}

  /**
   * A streamed chat completion, already past its first chunk (so no other target can take over);
   * {@code includeUsage} asks for the closing usage chunk.
   */
  record Stream(ChunkStream chunks, boolean includeUsage) implements Reply {}

  /** Any other JSON answer (the model list, ...). */
  record Json(int status, JsonNode body) implements Reply {}

  /** An error in OpenAI's shape. */
  record Error(ApiError error) implements Reply {}

  static Reply error(ApiError error) {
    return new Error(error);
  }

  static Reply json(JsonNode body) {
    return new Json(200, body);
  }
}
