package dev.tollgate.gateway;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.CompletionChunker;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEncoder;
import dev.tollgate.api.anthropic.AnthropicErrors;
import dev.tollgate.api.anthropic.MessageResponseWriter;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders a {@link Reply} for an Anthropic Messages client. */
final class AnthropicRenderer {

  private AnthropicRenderer() {}

  static ReplyRenderer.Rendered render(Reply reply, Exchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    return switch (reply) {
      case Reply.Stream s -> stream(headers, new AnthropicStreamBody(s.chunks(), alias(exchange), exchange));
      case Reply.Completion c when c.stream() -> {
        // a whole answer to a streaming client (a replay): the same events, from its chunks
        var chunks =
            new BufferedChunkStream(
                CompletionChunker.chunks(c.completion(), false), Usage.fromOpenAi(c.completion().get("usage")));
        yield stream(headers, new AnthropicStreamBody(chunks, alias(exchange), exchange));
      }
      case Reply.Completion c -> {
        headers.put("content-type", ReplyRenderer.JSON);
        yield new ReplyRenderer.Rendered(200, headers, Json.bytes(MessageResponseWriter.message(c.completion(), alias(exchange))));
      }
      case Reply.Json j -> {
        headers.put("content-type", ReplyRenderer.JSON);
        yield new ReplyRenderer.Rendered(j.status(), headers, Json.bytes(j.body()));
      }
      case Reply.Error e -> {
        ApiError error = e.error();
        headers.put("content-type", ReplyRenderer.JSON);
        if (error.retryAfterSeconds() > 0) {
          headers.put("retry-after", Long.toString(error.retryAfterSeconds()));
        }
        yield new ReplyRenderer.Rendered(error.status(), headers, Json.bytes(AnthropicErrors.body(error)));
      }
    };
  }

  private static ReplyRenderer.Rendered stream(Map<String, String> headers, AnthropicStreamBody body) {
    headers.put("content-type", SseEncoder.CONTENT_TYPE);
    headers.put("cache-control", "no-cache");
    return new ReplyRenderer.Rendered(200, headers, null, body);
  }

  /** The model name the client asked for, echoed back as Anthropic does. */
  private static String alias(Exchange exchange) {
    return exchange.chatRequest().model();
  }
}
