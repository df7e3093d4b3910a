package dev.tollgate.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tollgate.proxy.LocalContext;
import dev.tollgate.proxy.ProxyHandler;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Runs in a fresh JVM on the shaded Lambda jar's classpath and does what the Lambda runtime does
 * on a cold start without SnapStart: construct the handler from the environment, then answer one
 * API Gateway HTTP API (v2) chat event. Prints one {@code PROBE} line of epoch-millisecond
 * timestamps for {@link ColdStartBench}; everything else on standard output is the handler's own.
 *
 * <p>Needs the proxy's environment (TOLLGATE_CONFIG_TABLE, TOLLGATE_COUNTERS_TABLE, TOLLGATE_AUDIT_TABLE, TOLLGATE_SECRET_PREFIX,
 * TOLLGATE_DYNAMODB_ENDPOINT, AWS_REGION, static credentials) and the API key in
 * TOLLGATE_BENCH_KEY.
 */
public final class ColdStartProbe {

  private ColdStartProbe() {}

  public static void main(String[] args) {
    long mainEntered = System.currentTimeMillis();
    ProxyHandler handler = new ProxyHandler();
    long constructed = System.currentTimeMillis();
    APIGatewayV2HTTPResponse response = handler.handleRequest(chatEvent(System.getenv("TOLLGATE_BENCH_KEY")), new LocalContext("cold-start-1", "tollgate-proxy"));
    long answered = System.currentTimeMillis();
    // Read only now: the management classes would otherwise be loaded inside the measured time.
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    boolean echoed = response.getBody() != null && response.getBody().contains("toll gates");
    System.out.printf("PROBE jvmStart=%d main=%d constructed=%d answered=%d status=%d echoed=%b%n",
        jvmStart, mainEntered, constructed, answered, response.getStatusCode(), echoed);
    System.out.flush();
    // The SDK's and Powertools' threads would keep the JVM up; a Lambda sandbox is frozen instead.
    System.exit(response.getStatusCode() == 200 && echoed ? 0 : 1);
  }

  /** The event API Gateway's HTTP API sends for {@code POST /v1/chat/completions} (payload 2.0). */
  static APIGatewayV2HTTPEvent chatEvent(String apiKey) {
    String body =
        "{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"Reply with one short sentence about toll gates.\"}]}";
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("POST /v1/chat/completions")
        .withRawPath("/v1/chat/completions")
        .withRawQueryString("")
        .withHeaders(Map.of(
            "authorization", "Bearer " + apiKey,
            "content-type", "application/json",
            "host", "abc123.execute-api.us-east-1.amazonaws.com",
            "user-agent", "tollgate-bench"))
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId("cold-start-1")
                .withApiId("abc123")
                .withStage("$default")
                .withRouteKey("POST /v1/chat/completions")
                .withTimeEpoch(System.currentTimeMillis())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                    .withMethod("POST")
                    .withPath("/v1/chat/completions")
                    .withProtocol("HTTP/1.1")
                    .withSourceIp("127.0.0.1")
                    .withUserAgent("tollgate-bench")
                    .build())
                .build())
        .build();
  }
}
