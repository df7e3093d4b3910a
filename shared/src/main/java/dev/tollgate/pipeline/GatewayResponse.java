package dev.tollgate.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What goes back to the client: status, headers (lower-case names) and either a body in bytes or
 * a {@link SseBody} produced while it is sent ({@code stream} non-null, {@code body} empty).
 */
public record GatewayResponse(int status, Map<String, String> headers, byte[] body, SseBody stream) {

  private static final byte[] EMPTY = new byte[0];

  public GatewayResponse {
    headers = Map.copyOf(headers);
    body = stream == null ? body : EMPTY;
  }

  public GatewayResponse(int status, Map<String, String> headers, byte[] body) {
    this(status, headers, body, null);
  }

  public boolean streamed() {
    return stream != null;
  }

  /** The same response with a streamed body collected into bytes, for edges that cannot stream. */
  public GatewayResponse buffered() {
    if (stream == null) {
      return this;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      stream.writeTo(out::writeBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("collecting a stream into memory cannot fail", e);
    }
    return new GatewayResponse(status, headers, out.toByteArray(), null);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public String header(String name) {
    return headers.get(name);
  }
}
