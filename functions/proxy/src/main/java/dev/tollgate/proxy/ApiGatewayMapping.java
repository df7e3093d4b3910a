package dev.tollgate.proxy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Maps API Gateway HTTP API (payload v2) events to gateway requests and responses back. */
final class ApiGatewayMapping {

  private ApiGatewayMapping() {}

  static GatewayRequest toRequest(APIGatewayV2HTTPEvent event, String fallbackRequestId) {
    var context = event.getRequestContext();
    String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : "GET";
    String requestId =
        context != null && context.getRequestId() != null ? context.getRequestId() : fallbackRequestId;
    String rawPath = event.getRawPath() == null ? "/" : event.getRawPath();
    String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
    return new GatewayRequest(method, path, headers, body(event), requestId);
  }

  private static byte[] body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body == null) {
      return new byte[0];
    }
    if (event.getIsBase64Encoded()) {
      return Base64.getMimeDecoder().decode(body);
    }
    return body.getBytes(StandardCharsets.UTF_8);
  }

  static APIGatewayV2HTTPResponse toResponse(GatewayResponse response) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.status())
        .withHeaders(response.headers())
        .withBody(response.bodyText())
        .withIsBase64Encoded(false)
        .build();
  }
}
