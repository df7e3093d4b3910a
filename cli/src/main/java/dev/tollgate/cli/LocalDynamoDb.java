package dev.tollgate.cli;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/**
 * DynamoDB Local inside this JVM, in memory, telemetry off. Embedded (no socket) by default; on
 * request also served on a port so {@code aws dynamodb --endpoint-url} can edit the tables.
 */
final class LocalDynamoDb implements AutoCloseable {

  private final AmazonDynamoDBLocal embedded;
  private final DynamoDBProxyServer server;
  private final DynamoDbClient client;

  private LocalDynamoDb(AmazonDynamoDBLocal embedded, DynamoDBProxyServer server, DynamoDbClient client) {
    this.embedded = embedded;
    this.server = server;
    this.client = client;
  }

  /** Held so the level sticks: sqlite4java warns about its own jar version on every start. */
  private static final java.util.logging.Logger SQLITE_LOG =
      java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

  static {
    SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  static LocalDynamoDb embedded() {
    AmazonDynamoDBLocal local = DynamoDBEmbedded.create(true); // true = telemetry disabled
    return new LocalDynamoDb(local, null, local.dynamoDbClient());
  }

  /**
   * Serves DynamoDB Local on {@code port}, one database for every access key and region
   * ({@code -sharedDb}) so any client sees the dev tables. It listens on all interfaces:
   * DynamoDB Local has no bind option.
   */
  static LocalDynamoDb onPort(int port) throws Exception {
    DynamoDBProxyServer server =
        ServerRunner.createServerFromCommandLineArgs(
            new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port), "-disableTelemetry"});
    server.start();
    DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.builder().build())
            .build();
    return new LocalDynamoDb(null, server, client);
  }

  DynamoDbClient client() {
    return client;
  }

  Optional<DynamoDBProxyServer> server() {
    return Optional.ofNullable(server);
  }

  @Override
  public void close() {
    client.close();
    if (embedded != null) {
      embedded.shutdown();
    }
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop DynamoDB Local", e);
      }
    }
  }
}
