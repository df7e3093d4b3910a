package dev.tollgate.rag.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * RagFunction: given a knowledge base, a query and options, answers the best chunks with score,
 * source document, title and position, in {@link dev.tollgate.rag.RetrievalCodec}'s JSON. A
 * stream handler, so the JSON on the wire is exactly the codec's, not a serializer's idea of it.
 */
public final class RagHandler implements RequestStreamHandler, Resource {

  private static final Logger LOG = LoggerFactory.getLogger(RagHandler.class);
  /** Used when POWERTOOLS_METRICS_NAMESPACE is unset; Powertools refuses to flush without one. */
  static final String DEFAULT_METRICS_NAMESPACE = "Tollgate";

  private final RetrievalEndpoint endpoint;
  private final Metrics metrics;

  /** Used by the Lambda runtime. */
  public RagHandler() {
    this(System.getenv());
  }

  /** Reads configuration from {@code environment} instead of the process environment. */
  public RagHandler(Map<String, String> environment) {
    this(environment, RagWiring.INDEX);
  }

  /** With {@code index} serving the knowledge table's own bases (tests bring a stand-in). */
  public RagHandler(Map<String, String> environment, IndexRetrieverFactory index) {
    this.metrics = MetricsFactory.getMetricsInstance();
    if (RagEnvironment.METRICS_NAMESPACE.read(environment).isEmpty()) {
      metrics.setNamespace(DEFAULT_METRICS_NAMESPACE);
    }
    this.endpoint = new RetrievalEndpoint(RagWiring.retriever(environment, index), new PowertoolsMetrics(metrics));
    Core.getGlobalContext().register(this);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    byte[] request = input.readAllBytes();
    byte[] answer =
        PowertoolsLogging.withLogging(
            context,
            () -> {
              metrics.captureColdStartMetric(context);
              try {
                return endpoint.handle(request);
              } finally {
                metrics.flush();
              }
            });
    output.write(answer);
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    int primed = RagPriming.run();
    LOG.info("Primed {} sample retrievals before the snapshot", primed);
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // Nothing cached depends on time or randomness; the SDK clients refresh credentials themselves.
  }
}
