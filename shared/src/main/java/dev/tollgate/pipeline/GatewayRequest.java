package dev.tollgate.pipeline;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the gateway sees it, whichever edge received it (API Gateway event or the
 * embedded HTTP server). Header names are case-insensitive.
 */
public record GatewayRequest(
    String method, String path, Map<String, String> headers, byte[] body, String requestId) {

  public GatewayRequest {
    Map<String, String> lower = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, value) -> lower.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
    headers = lower;
    method = method.toUpperCase(Locale.ROOT);
    path = canonicalPath(path);
  }

  /**
   * Drops trailing slashes and anything before {@code /v1/}, such as an API Gateway stage name,
   * so routing sees {@code /v1/...} from every edge.
   */
  static String canonicalPath(String path) {
    String canonical = path == null || path.isEmpty() ? "/" : path;
    int v1 = canonical.indexOf("/v1/");
    if (v1 > 0) {
      canonical = canonical.substring(v1);
    }
    while (canonical.length() > 1 && canonical.endsWith("/")) {
      canonical = canonical.substring(0, canonical.length() - 1);
    }
    return canonical;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }
}
