package dev.tollgate.proxy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Invokes the proxy function once with an API Gateway (HTTP API, payload 2.0) event file and
 * prints the response as one JSON line: {@code sam local invoke} without Docker.
 *
 * <pre>
 * java -cp functions/proxy/target/tollgate-proxy-lambda.jar dev.tollgate.proxy.LocalInvoke events/chat.json
 * </pre>
 *
 * The function is built from the process environment exactly as in Lambda, so
 * {@code TOLLGATE_CONFIG_TABLE}, {@code TOLLGATE_COUNTERS_TABLE}, {@code TOLLGATE_AUDIT_TABLE}, {@code TOLLGATE_SECRET_PREFIX} and {@code AWS_REGION} must be set
 * (and {@code TOLLGATE_DYNAMODB_ENDPOINT} to use DynamoDB Local). Its JSON log lines come first on
 * stdout; the response is the last line.
 */
public final class LocalInvoke {

  private LocalInvoke() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java -cp tollgate-proxy-lambda.jar dev.tollgate.proxy.LocalInvoke EVENT.json");
      System.exit(2);
    }
    APIGatewayV2HTTPEvent event = readEvent(Path.of(args[0]));
    ProxyHandler handler = new ProxyHandler(System.getenv());
    APIGatewayV2HTTPResponse response =
        handler.handleRequest(event, new LocalContext("local-" + UUID.randomUUID(), "tollgate-proxy-local"));
    System.out.println(Json.mapper().writeValueAsString(response));
  }

  /** Reads an event file the way the Lambda runtime would hand it to the handler. */
  static APIGatewayV2HTTPEvent readEvent(Path file) throws IOException {
    return Json.mapper().readValue(Files.readAllBytes(file), APIGatewayV2HTTPEvent.class);
  }
}
