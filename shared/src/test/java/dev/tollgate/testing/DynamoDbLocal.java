package dev.tollgate.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
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

  @Override
  public void beforeAll(ExtensionContext context) {
    SQLITE_LOG.setLevel(Level.SEVERE);
    running =
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.create(DynamoDbLocal.class))
            .getOrComputeIfAbsent(Running.class, type -> Running.start(), Running.class);
  }

  public DynamoDbClient client() {
    return running.client();
  }

  /** A table name prefix no other test uses, e.g. {@code t7-}. */
  public String freshPrefix() {
    return "t" + PREFIXES.incrementAndGet() + "-";
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
