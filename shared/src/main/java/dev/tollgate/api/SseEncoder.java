package dev.tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes server-sent events the way OpenAI does: {@code data: <json>} frames, then {@code [DONE]}. */
public final class SseEncoder {

  public static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseEncoder() {}

  /** One event frame. */
  public static byte[] event(JsonNode data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(DATA);
    out.writeBytes(Json.bytes(data));
    out.writeBytes(END);
    return out.toByteArray();
  }

  public static byte[] done() {
    return DONE.clone();
  }

  /** A whole stream body: every event, then {@code data: [DONE]}. */
  public static byte[] body(List<? extends JsonNode> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode event : events) {
      out.writeBytes(event(event));
    }
    out.writeBytes(DONE);
    return out.toByteArray();
  }
}
