package dev.tollgate.gateway;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.CompletionChunker;
import dev.tollgate.api.Json;
import dev.tollgate.api.SseEncoder;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.SseBody;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders a {@link Reply} to status, headers and bytes. */
final class ReplyRenderer {

  static final String JSON = "application/json";

  private ReplyRenderer() {}

  /** Status, headers and either bytes or, for a stream, the body that writes itself. */
  record Rendered(int status, Map<String, String> headers, byte[] body, SseBody stream) {

    Rendered(int status, Map<String, String> headers, byte[] body) {
      this(status, headers, body, null);
    }
  }

  static Rendered render(Reply reply, Exchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    return switch (reply) {
      case Reply.Stream s -> {
        headers.put("content-type", SseEncoder.CONTENT_TYPE);
        headers.put("cache-control", "no-cache");
        yield new Rendered(200, headers, null, new OpenAiStreamBody(s.chunks(), s.includeUsage(), exchange));
      }
      case Reply.Completion c when c.stream() -> {
        headers.put("content-type", SseEncoder.CONTENT_TYPE);
        headers.put("cache-control", "no-cache");
        yield new Rendered(200, headers, SseEncoder.body(CompletionChunker.chunks(c.completion(), c.includeUsage())));
      }
      case Reply.Completion c -> {
        headers.put("content-type", JSON);
        yield new Rendered(200, headers, Json.bytes(c.completion()));
      }
      case Reply.Json j -> {
        headers.put("content-type", JSON);
        yield new Rendered(j.status(), headers, Json.bytes(j.body()));
      }
      case Reply.Error e -> {
        ApiError error = e.error();
        headers.put("content-type", JSON);
        if (error.retryAfterSeconds() > 0) {
          headers.put("retry-after", Long.toString(error.retryAfterSeconds()));
        }
        yield new Rendered(error.status(), headers, Json.bytes(error.toJson()));
      }
    };
  }
}
