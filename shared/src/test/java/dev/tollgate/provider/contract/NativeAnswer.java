package dev.tollgate.provider.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One upstream answer exactly as it goes on the wire: status, headers and body bytes. */
public record NativeAnswer(int status, Map<String, String> headers, byte[] body) {

  public NativeAnswer {
    headers = Map.copyOf(headers);
  }

  public static NativeAnswer json(int status, JsonNode body) {
    return new NativeAnswer(status, Map.of("content-type", "application/json"), Json.bytes(body));
  }

  /** A 200 server-sent-event stream whose frames are given whole, line endings included. */
  public static NativeAnswer eventStream(String frames) {
    return new NativeAnswer(
        200, Map.of("content-type", "text/event-stream"), frames.getBytes(StandardCharsets.UTF_8));
  }

  public NativeAnswer withHeader(String name, String value) {
    Map<String, String> more = new java.util.HashMap<>(headers);
    more.put(name, value);
    return new NativeAnswer(status, more, body);
  }
}
