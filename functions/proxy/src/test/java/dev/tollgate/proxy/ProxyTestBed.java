package dev.tollgate.proxy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigDocument;
import dev.tollgate.config.ConfigError;
import dev.tollgate.config.ConfigItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * What the handler tests share: DynamoDB Local served on a free loopback port once per test JVM
 * (the handler reaches it over HTTP, as it reaches DynamoDB in AWS), a fresh pair of tables per
 * bed, config seeding, the handler's environment, and the files in {@code events/}.
 */
final class ProxyTestBed {

  /** The key every file in events/ authenticates with; events/README.md documents it. */
  static final String EXAMPLE_KEY = "tg-example-events-key";

  static final String SECRET_PREFIX = "tollgate/";
  static final String REGION = "us-east-1";

  /** The config events/ expects: the mock model, and the example key allowed every model. */
  static final String EXAMPLE_CONFIG =
      """
      {"models": {"mock": {"targets": [{"id": "mock-echo", "provider": "mock", "latencyMs": 0}]}},
       "keys": [{"sha256": "%s", "consumer": "events", "models": ["*"]}]}
      """
          .formatted(ApiKeys.hash(EXAMPLE_KEY));

  /** Held so the level sticks: sqlite4java warns about its own jar version on every start. */
  private static final java.util.logging.Logger SQLITE_LOG =
      java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

  private static final AtomicInteger BEDS = new AtomicInteger();
  private static URI endpoint;

  private final String tablePrefix;
  private final DynamoDbClient dynamo;

  private ProxyTestBed(String tablePrefix, DynamoDbClient dynamo) {
    this.tablePrefix = tablePrefix;
    this.dynamo = dynamo;
  }

  /** New, empty config and counters tables under a prefix no other bed in this JVM uses. */
  static ProxyTestBed create() {
    DynamoDbClient dynamo = AwsClients.dynamoDb(Region.of(REGION), Optional.of(dynamoDbEndpoint()));
    String prefix = "bed" + BEDS.incrementAndGet() + "-";
    TableSchemas.createAll(dynamo, prefix);
    return new ProxyTestBed(prefix, dynamo);
  }

  /** A bed whose tables hold {@link #EXAMPLE_CONFIG}. */
  static ProxyTestBed withExampleConfig() {
    ProxyTestBed bed = create();
    bed.apply(EXAMPLE_CONFIG);
    return bed;
  }

  static synchronized URI dynamoDbEndpoint() {
    if (endpoint == null) {
      SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE);
      // DynamoDB Local logs every request (and every error it answers, with a stack trace)
      // through the function's log4j2.properties; its Jetty logs at INFO.
      Configurator.setLevel("software.amazon.dynamodb", Level.ERROR);
      Configurator.setLevel("com.amazonaws.services.dynamodbv2", Level.ERROR);
      Configurator.setLevel("org.eclipse.jetty", Level.WARN);
      int port = freeLoopbackPort();
      try {
        // It binds every interface (it has no bind option); the clients use loopback only.
        DynamoDBProxyServer server =
            ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server)));
      } catch (Exception e) {
        throw new IllegalStateException("could not start DynamoDB Local on port " + port, e);
      }
      endpoint = URI.create("http://127.0.0.1:" + port);
    }
    return endpoint;
  }

  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stopQuietly(DynamoDBProxyServer server) {
    try {
      server.stop();
    } catch (Exception ignored) {
      // the JVM is exiting
    }
  }

  String tablePrefix() {
    return tablePrefix;
  }

  String configTable() {
    return tablePrefix + TableSchemas.CONFIG;
  }

  String countersTable() {
    return tablePrefix + TableSchemas.COUNTERS;
  }

  String auditTable() {
    return tablePrefix + TableSchemas.AUDIT;
  }

  String cacheTable() {
    return tablePrefix + TableSchemas.CACHE;
  }

  DynamoDbClient dynamo() {
    return dynamo;
  }

  /** Writes a config document (the YAML file's shape, as JSON) to the config table. */
  void apply(String configDocument) {
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(Json.parse(configDocument), errors);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("test config has errors: " + errors);
    }
    new DynamoDbConfigWriter(dynamo, configTable()).apply(items, false);
  }

  /** The environment the function gets in AWS (see infra/template.yaml), pointed at this bed. */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put(ProxyEnvironment.CONFIG_TABLE.variable(), configTable());
    env.put(ProxyEnvironment.COUNTERS_TABLE.variable(), countersTable());
    env.put(ProxyEnvironment.AUDIT_TABLE.variable(), auditTable());
    env.put(ProxyEnvironment.CACHE_TABLE.variable(), cacheTable());
    env.put(ProxyEnvironment.SECRET_PREFIX.variable(), SECRET_PREFIX);
    env.put(ProxyEnvironment.DYNAMODB_ENDPOINT.variable(), dynamoDbEndpoint().toString());
    env.put(ProxyEnvironment.AWS_REGION.variable(), REGION);
    return env;
  }

  static Context context(String requestId) {
    return new LocalContext(requestId, "tollgate-proxy-test");
  }

  /** The repository's root: the nearest directory upwards that holds infra/template.yaml. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("infra/template.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no infra/template.yaml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** Every events/*.json file, by name. */
  static List<Path> eventFiles() {
    try (Stream<Path> files = Files.list(repoRoot().resolve("events"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
