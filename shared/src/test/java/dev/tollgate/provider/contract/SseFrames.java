package dev.tollgate.provider.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;

/** Builds server-sent-event frames as providers write them, for wire scripts. */
public final class SseFrames {

  private final StringBuilder frames = new StringBuilder();
  private final String lineEnd;

  private SseFrames(String lineEnd) {
    this.lineEnd = lineEnd;
  }

  /** Frames whose lines end in LF, as OpenAI and Anthropic send them. */
  public static SseFrames lf() {
    return new SseFrames("\n");
  }

  /** Frames whose lines end in CRLF, as Google's APIs send them. */
  public static SseFrames crlf() {
    return new SseFrames("\r\n");
  }

  /** {@code event: name} then {@code data: json}. */
  public SseFrames event(String name, JsonNode data) {
    frames.append("event: ").append(name).append(lineEnd);
    return data(Json.text(data));
  }

  /** {@code event: name} then a data line as given, unchecked. */
  public SseFrames event(String name, String raw) {
    frames.append("event: ").append(name).append(lineEnd);
    return data(raw);
  }

  public SseFrames data(JsonNode data) {
    return data(Json.text(data));
  }

  /** A data line as given, unchecked: for markers like {@code [DONE]} and for broken JSON. */
  public SseFrames data(String raw) {
    frames.append("data: ").append(raw).append(lineEnd).append(lineEnd);
    return this;
  }

  public NativeAnswer answer() {
    return NativeAnswer.eventStream(frames.toString());
  }
}
