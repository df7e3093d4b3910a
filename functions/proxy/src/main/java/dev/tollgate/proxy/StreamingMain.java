package dev.tollgate.proxy;

import dev.tollgate.gateway.Gateway;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming function's process: started by {@code run.sh} under the Lambda Web Adapter, it
 * builds the same gateway as {@link ProxyHandler}, primes it, and only then listens, because the
 * adapter forwards traffic once {@link Gateway#HEALTH_PATH} answers; priming so happens in the
 * init phase, not in the first request.
 *
 * <p>Logs are the same JSON lines on stdout as the buffered function's; the fields that come from
 * a handler's Lambda context per request (request id, cold start, correlation id) stay empty, as
 * there is no handler call, and {@code log4j2-streaming.properties} (chosen by run.sh) fills the
 * per-process ones from Lambda's environment. Metrics are EMF lines on stdout,
 * one per data point (see {@link FlushingMetrics}).
 */
public final class StreamingMain {

  /** The adapter reaches the server on loopback; nothing else should. */
  static final String HOST = "127.0.0.1";
  /** The Lambda Web Adapter's default port. */
  static final int DEFAULT_PORT = 8080;

  private static final Logger LOG = LoggerFactory.getLogger(StreamingMain.class);

  private StreamingMain() {}

  public static void main(String[] args) throws IOException {
    StreamingServer server = start(System.getenv());
    // The adapter sends SIGTERM when Lambda shuts the environment down.
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "streaming-server-stop"));
  }

  /** Builds, primes and starts the server; the JDK server's dispatcher thread keeps the JVM up. */
  static StreamingServer start(Map<String, String> environment) throws IOException {
    long begin = System.nanoTime();
    var metrics = new FlushingMetrics(LambdaWiring.powertoolsMetrics(environment));
    Gateway gateway = LambdaWiring.gateway(environment, metrics);
    int primed = Priming.warm(gateway);
    StreamingServer server = StreamingServer.start(gateway, HOST, port(environment));
    LOG.info(
        "Primed {} sample requests; listening on {}:{} after {} ms",
        primed,
        HOST,
        server.port(),
        (System.nanoTime() - begin) / 1_000_000);
    return server;
  }

  static int port(Map<String, String> environment) {
    String value =
        ProxyEnvironment.LWA_PORT
            .read(environment)
            .or(() -> ProxyEnvironment.PORT.read(environment))
            .orElse(Integer.toString(DEFAULT_PORT));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          ProxyEnvironment.LWA_PORT.variable() + " must be a port number, found " + value, e);
    }
  }
}
