package dev.tollgate.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events from a byte stream as the HTML standard defines them: lines end in
 * LF, CR or CRLF; a blank line dispatches; {@code :} lines are comments; several {@code data:}
 * lines join with a newline; a leading byte-order mark is skipped. An event cut off by the end
 * of the stream is dropped, as the standard says, so a half-received frame never reaches a
 * translator.
 */
public final class SseReader {

  /** A longer line is an upstream fault, not something to buffer without end. */
  static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

  private final InputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private boolean pendingLf;
  private boolean started;

  public SseReader(InputStream in) {
    this.in = in;
  }

  /** The next event, or empty at the end of the stream. */
  public Optional<SseEvent> next() throws IOException {
    String event = "";
    StringBuilder data = null;
    for (String l = readLine(); l != null; l = readLine()) {
      if (l.isEmpty()) {
        if (data != null) {
          return Optional.of(new SseEvent(event, data.toString()));
        }
        event = "";
        continue;
      }
      if (l.charAt(0) == ':') {
        continue;
      }
      int colon = l.indexOf(':');
      String field = colon < 0 ? l : l.substring(0, colon);
      String value = colon < 0 ? "" : l.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {} // id, retry and unknown fields do not matter to a proxy
      }
    }
    return Optional.empty();
  }

  /** The line read; the stream's very first may start with a byte-order mark, which is not data. */
  private String text() {
    String text = line.toString(StandardCharsets.UTF_8);
    if (!started) {
      started = true;
      if (text.startsWith("\uFEFF")) {
        return text.substring(1);
      }
    }
    return text;
  }

  private String readLine() throws IOException {
    line.reset();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (pendingLf) {
        pendingLf = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n') {
        return text();
      }
      if (b == '\r') {
        pendingLf = true;
        return text();
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new IOException("an event line is longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
  }
}
