package dev.tollgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEncoder;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.SseSink;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes a {@link ChunkStream} the way OpenAI streams: one {@code data:} event per chunk, the
 * usage chunk when asked, then {@code data: [DONE]}. An upstream that breaks after the first
 * chunk ends the stream with an error event and {@code [DONE]}; the usage read so far is still
 * handed to the exchange, whose completion hooks run once the body is over however it ended.
 */
final class OpenAiStreamBody extends ChunkStreamBody {

  private final boolean includeUsage;

  OpenAiStreamBody(ChunkStream chunks, boolean includeUsage, Exchange exchange) {
    super(chunks, exchange);
    this.includeUsage = includeUsage;
  }

  @Override
  void writeChunks(ChunkStream chunks, SseSink sink) throws IOException, UpstreamFailure {
    ObjectNode last = null;
    for (Optional<ObjectNode> next = chunks.next(); next.isPresent(); next = chunks.next()) {
      last = next.get();
      if (includeUsage && !last.has("usage")) {
        last.putNull("usage");
      }
      sink.send(SseEncoder.event(last));
    }
    if (includeUsage) {
      sink.send(SseEncoder.event(usageChunk(last, chunks.usage())));
    }
    sink.send(SseEncoder.done());
  }

  @Override
  void writeBroken(String message, SseSink sink) throws IOException {
    ApiError error = new ApiError(502, message, ApiError.SERVER, null, "upstream_stream_interrupted", 0);
    sink.send(SseEncoder.event(error.toJson()));
    sink.send(SseEncoder.done());
  }

  static ObjectNode usageChunk(JsonNode header, Usage usage) {
    ObjectNode chunk = Json.object();
    if (header != null) {
      chunk.set("id", header.get("id"));
      chunk.put("object", "chat.completion.chunk");
      chunk.set("created", header.get("created"));
      chunk.set("model", header.get("model"));
    }
    chunk.set("choices", Json.array());
    chunk.set("usage", usage.toOpenAi());
    return chunk;
  }
}
