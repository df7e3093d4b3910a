package dev.tollgate.moderation.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockGuardrail;
import dev.tollgate.aws.DynamoDbModerationStore;
import dev.tollgate.moderation.ModerationService;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * The moderation function: consumes batches from the moderation queue, asks the output
 * guardrail about each answer, writes the verdict to the request's audit record, counts flags and
 * disables consumers (see {@link ModerationService}). Failed messages are reported one by one
 * ({@code ReportBatchItemFailures}), so a batch is never retried whole.
 */
public final class ModerationHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

  private static final Logger LOG = LoggerFactory.getLogger(ModerationHandler.class);
  /** Used when POWERTOOLS_METRICS_NAMESPACE is unset; Powertools refuses to flush without one. */
  static final String DEFAULT_METRICS_NAMESPACE = "Tollgate";
  /** Nobody waits on this call, unlike the proxy's input check: give a slow guardrail longer. */
  static final Duration GUARDRAIL_TIMEOUT = Duration.ofSeconds(10);

  private final BatchModeration batches;
  private final Metrics metrics;

  /** Used by the Lambda runtime. */
  public ModerationHandler() {
    this(System.getenv());
  }

  /** Reads configuration from {@code environment} instead of the process environment. */
  public ModerationHandler(Map<String, String> environment) {
    this.metrics = MetricsFactory.getMetricsInstance();
    if (ModerationEnvironment.METRICS_NAMESPACE.read(environment).isEmpty()) {
      metrics.setNamespace(DEFAULT_METRICS_NAMESPACE);
    }
    Region region = Region.of(ModerationEnvironment.AWS_REGION.require(environment));
    var dynamo = AwsClients.dynamoDb(region, ModerationEnvironment.DYNAMODB_ENDPOINT.read(environment).map(URI::create));
    var bedrock = AwsClients.bedrockRuntime(region, ModerationEnvironment.GUARDRAIL_ENDPOINT.read(environment).map(URI::create));
    var store =
        new DynamoDbModerationStore(
            dynamo,
            ModerationEnvironment.AUDIT_TABLE.require(environment),
            ModerationEnvironment.COUNTERS_TABLE.require(environment),
            ModerationEnvironment.CONFIG_TABLE.require(environment));
    var ports = new PowertoolsMetrics(metrics);
    var service = new ModerationService(new BedrockGuardrail(bedrock, GUARDRAIL_TIMEOUT), store, ports, Clock.systemUTC());
    this.batches = new BatchModeration(service, ports);
    Core.getGlobalContext().register(this);
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    return PowertoolsLogging.withLogging(
        context,
        () -> {
          metrics.captureColdStartMetric(context);
          try {
            return batches.handle(event);
          } finally {
            metrics.flush();
          }
        });
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    int primed = ModerationPriming.run();
    LOG.info("Primed {} sample moderation messages before the snapshot", primed);
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // Nothing cached depends on time or randomness; the SDK clients refresh credentials themselves.
  }
}
