package dev.tollgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEncoder;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.SseBody;
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
final class OpenAiStreamBody implements SseBody {

  private final ChunkStream chunks;
  private final boolean includeUsage;
  private final Exchange exchange;

  OpenAiStreamBody(ChunkStream chunks, boolean includeUsage, Exchange exchange) {
    this.chunks = chunks;
    this.includeUsage = includeUsage;
    this.exchange = exchange;
  }

  @Override
  public void writeTo(SseSink sink) throws IOException {
    String outcome = "ok";
    sink.whenClientGone(chunks::close);
    try (chunks) {
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
    } catch (UpstreamFailure failure) {
      outcome = failure.kind().label();
      sink.send(SseEncoder.event(brokenStream(failure).toJson()));
      sink.send(SseEncoder.done());
    } catch (IOException | RuntimeException e) {
      outcome = "client disconnected";
      throw e;
    } finally {
      exchange.usage(chunks.usage());
      exchange.complete(outcome);
    }
  }

  private ApiError brokenStream(UpstreamFailure failure) {
    String target = exchange.answeredBy().orElse("the upstream");
    return new ApiError(
        502,
        "Target '" + target + "' failed after the stream had started (" + failure.kind().label() + ").",
        ApiError.SERVER,
        null,
        "upstream_stream_interrupted",
        0);
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
    ObjectNode body = chunk.putObject("usage");
    body.put("prompt_tokens", usage.promptTokens());
    body.put("completion_tokens", usage.completionTokens());
    body.put("total_tokens", usage.totalTokens());
    if (usage.cachedTokens() > 0) {
      body.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
    }
    return chunk;
  }
}
