package dev.tollgate.provider.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A request the fake upstream received: path with query, headers (lower-case names), body. */
public record RecordedRequest(String method, String url, Map<String, String> headers, byte[] body) {

  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  public JsonNode json() {
    try {
      return Json.parse(body);
    } catch (IOException e) {
      throw new UncheckedIOException("the adapter sent a body that is not JSON", e);
    }
  }
}
