package dev.tollgate.proxy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.limit.TokenEstimator;
import dev.tollgate.pipeline.GatewayRequest;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * The buffered proxy function behind the HTTP API. Clients and config are built once per
 * execution environment; with SnapStart, the snapshot is taken after priming.
 */
public final class ProxyHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);
  /** The JSON log field Powertools documents for a request's correlation id. */
  static final String CORRELATION_ID = "correlation_id";

  private final Gateway gateway;
  private final Metrics metrics;

  /** Used by the Lambda runtime. */
  public ProxyHandler() {
    this(System.getenv());
  }

  /** Reads configuration from {@code environment} instead of the process environment. */
  public ProxyHandler(Map<String, String> environment) {
    this.metrics = LambdaWiring.powertoolsMetrics(environment);
    this.gateway = LambdaWiring.gateway(environment, new PowertoolsMetrics(metrics));
    Core.getGlobalContext().register(this);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return PowertoolsLogging.withLogging(
        context,
        () -> {
          metrics.captureColdStartMetric(context);
          GatewayRequest request = ApiGatewayMapping.toRequest(event, context.getAwsRequestId());
          // Powertools' JSON field for it; set directly rather than through a JMESPath
          // expression, whose parser costs a cold start about 140 classes. Cleared after.
          MDC.put(CORRELATION_ID, request.requestId());
          try {
            return ApiGatewayMapping.toResponse(gateway.handle(request));
          } finally {
            metrics.flush();
          }
        });
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    int primed = Priming.warm(gateway);
    // Only into a snapshot: reading the vocabularies costs a fresh JVM 0.1-0.4 s, which the
    // streaming function (no SnapStart) leaves to the first request a token limit counts.
    TokenEstimator.loadEncodings();
    LOG.info("Primed {} sample requests and the token counters before the snapshot", primed);
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    gateway.afterRestore();
  }
}
