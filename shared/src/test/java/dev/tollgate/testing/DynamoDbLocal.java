package dev.tollgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * DynamoDB Local in the test JVM, in memory, telemetry off, no socket. One instance serves every
 * test class that registers this extension and is shut down when the test run ends; tests keep
 * apart by creating their tables under a {@link #freshPrefix()}.
 *
 * <pre>
 * {@literal @}RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();
 * </pre>
 */
public final class DynamoDbLocal implements BeforeAllCallback {

  /** Held so the level sticks: sqlite4java warns about its own jar version on every start. */
  private static final Logger SQLITE_LOG = Logger.getLogger("com.almworks.sqlite4java");

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private Running running;
  private ExtensionContext.Store rootStore;

  @Override
  public void beforeAll(ExtensionContext context) {
    SQLITE_LOG.setLevel(Level.SEVERE);
    rootStore = context.getRoot().getStore(ExtensionContext.Namespace.create(DynamoDbLocal.class));
    running = rootStore.getOrComputeIfAbsent(Running.class, type -> Running.start(), Running.class);
  }

  /**
   * A second DynamoDB Local, as a server on a loopback port (started on first use, shared like the
   * embedded one), for tests that need real SDK clients: several independent clients, or
   * execution interceptors, which the embedded client does not run. It holds its own tables.
   */
  public URI serverEndpoint() {
    return rootStore.getOrComputeIfAbsent(Server.class, type -> Server.start(), Server.class).endpoint();
  }

  /** A real SDK client for {@link #serverEndpoint()}: static test credentials, one region, loopback. */
  public DynamoDbClient serverClient(ExecutionInterceptor... interceptors) {
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
    for (ExecutionInterceptor interceptor : interceptors) {
      override.addExecutionInterceptor(interceptor);
    }
    return DynamoDbClient.builder()
        .endpointOverride(serverEndpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().build())
        .overrideConfiguration(override.build())
        .build();
  }

  public DynamoDbClient client() {
    return running.client();
  }

  /** A table name prefix no other test uses, e.g. {@code t7-}. */
  public String freshPrefix() {
    return "t" + PREFIXES.incrementAndGet() + "-";
  }

  /** The server-mode instance; it binds every interface (it has no bind option), clients use loopback. */
  private record Server(DynamoDBProxyServer server, URI endpoint) implements AutoCloseable {

    static Server start() {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try {
        DynamoDBProxyServer server =
            ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
        return new Server(server, URI.create("http://127.0.0.1:" + port));
      } catch (Exception e) {
        throw new IllegalStateException("could not start DynamoDB Local on port " + port, e);
      }
    }

    @Override
    public void close() throws Exception {
      server.stop();
    }
  }

  /** The running instance; JUnit closes it with the root context at the end of the run. */
  private record Running(AmazonDynamoDBLocal local, DynamoDbClient client) implements AutoCloseable {

    static Running start() {
      AmazonDynamoDBLocal local = DynamoDBEmbedded.create(true); // true = telemetry disabled
      return new Running(local, local.dynamoDbClient());
    }

    @Override
    public void close() {
      client.close();
      local.shutdown();
    }
  }
}
