package dev.tollgate.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What goes back to the client: status, headers (lower-case names) and body. */
public record GatewayResponse(int status, Map<String, String> headers, byte[] body) {

  public GatewayResponse {
    headers = Map.copyOf(headers);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public String header(String name) {
    return headers.get(name);
  }
}
