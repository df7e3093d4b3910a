package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditSink;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.AwsProviders;
import dev.tollgate.aws.DynamoDbAuditSink;
import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.aws.DynamoDbKnowledgeStore;
import dev.tollgate.aws.DynamoDbQuotaStore;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.embedding.local.MiniLmEmbedder;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.provider.CredentialRef;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.proxy.StreamingServer;
import dev.tollgate.rag.KnowledgeRetriever;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.telemetry.Metrics;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The gateway on loopback with its config in DynamoDB Local: the same pipeline the Lambda runs,
 * over the same embedded HTTP server the streaming function will use.
 */
final class DevServer implements AutoCloseable {

  static final Path DEFAULT_CONFIG = Path.of("config", "dev.yaml");
  static final String TABLE_PREFIX = "tollgate-";

  private final LocalDynamoDb dynamo;
  private final StreamingServer http;
  private final String demoKey;
  private final LocalModeration moderation;

  private DevServer(LocalDynamoDb dynamo, StreamingServer http, String demoKey, LocalModeration moderation) {
    this.dynamo = dynamo;
    this.http = http;
    this.demoKey = demoKey;
    this.moderation = moderation;
  }

  /** How to start it. */
  record Options(
      Optional<Path> config,
      String host,
      int port,
      Optional<String> demoKey,
      Optional<Integer> dynamoDbPort,
      Duration refresh,
      Map<String, String> environment,
      Optional<URI> guardrailEndpoint,
      boolean audit) {

    /** Options that write audit records, with guardrails at {@code guardrailEndpoint}. */
    Options(
        Optional<Path> config,
        String host,
        int port,
        Optional<String> demoKey,
        Optional<Integer> dynamoDbPort,
        Duration refresh,
        Map<String, String> environment,
        Optional<URI> guardrailEndpoint) {
      this(config, host, port, demoKey, dynamoDbPort, refresh, environment, guardrailEndpoint, true);
    }

    /** Options with guardrails on Bedrock in the environment's region. */
    Options(
        Optional<Path> config,
        String host,
        int port,
        Optional<String> demoKey,
        Optional<Integer> dynamoDbPort,
        Duration refresh,
        Map<String, String> environment) {
      this(config, host, port, demoKey, dynamoDbPort, refresh, environment, Optional.empty());
    }
  }

  /** Thrown when the config file has errors; they have been printed. */
  static final class InvalidConfig extends Exception {
    InvalidConfig(String message) {
      super(message);
    }
  }

  static DevServer start(Options options, PrintStream out) throws Exception {
    ConfigFile.Loaded loaded = load(options.config());
    if (!loaded.valid()) {
      out.println(loaded.name() + " has " + loaded.errors().size() + " error(s):");
      loaded.errors().forEach(error -> out.println("  " + error.message()));
      throw new InvalidConfig(loaded.name() + " is not valid");
    }
    String key = options.demoKey().orElseGet(ApiKeys::generate);
    List<ConfigItem> items = new ArrayList<>(withLocalCredentials(loaded.items(), options.environment(), out));
    items.add(demoKeyItem(key));

    LocalDynamoDb dynamo =
        options.dynamoDbPort().isPresent() ? LocalDynamoDb.onPort(options.dynamoDbPort().get()) : LocalDynamoDb.embedded();
    try {
      DynamoDbClient client = dynamo.client();
      TableSchemas.createAll(client, TABLE_PREFIX);
      String table = TABLE_PREFIX + TableSchemas.CONFIG;
      new DynamoDbConfigWriter(client, table).apply(items, false);
      Clock clock = Clock.systemUTC();
      LocalModeration moderation =
          LocalModeration.start(client, options.guardrailEndpoint(), ConfigFile.awsRegion(options.environment()), clock);
      var ports =
          new GatewayAssembly.Ports(
              new DynamoDbConfigSource(client, table),
              new EnvCredentialResolver(options.environment()),
              Metrics.NONE,
              clock,
              options.refresh(),
              RandomSource.secureSeeded(),
              new DynamoDbQuotaStore(client, TABLE_PREFIX + TableSchemas.COUNTERS),
              options.audit() ? new DynamoDbAuditSink(client, TABLE_PREFIX + TableSchemas.AUDIT, Metrics.NONE) : AuditSink.NONE,
              moderation.guardrail(),
              moderation.queue());
      // In-process retrieval over the knowledge table that `tollgate kb ingest --endpoint` fills;
      // MiniLM loads on the first embedding, so a dev server that never retrieves pays nothing.
      MiniLmEmbedder embedder = new MiniLmEmbedder();
      ports =
          ports.withEmbedder(embedder)
              .withRetriever(new KnowledgeRetriever(new DynamoDbKnowledgeStore(client, TABLE_PREFIX + TableSchemas.KNOWLEDGE), embedder));
      var providers = GatewayAssembly.standardProviders(new UpstreamHttp(), clock);
      AwsProviders.register(providers, ConfigFile.awsRegion(options.environment()), clock);
      Gateway gateway = GatewayAssembly.build(ports, providers);
      StreamingServer http = StreamingServer.start(gateway, options.host(), options.port());
      DevServer server = new DevServer(dynamo, http, key, moderation);
      out.println("Tollgate dev server: " + server.baseUrl() + " (config: " + loaded.name() + ")");
      options.dynamoDbPort().ifPresent(port ->
          out.println("DynamoDB Local: http://127.0.0.1:" + port + " (table " + table + "; knowledge bases: tollgate kb ingest --kb NAME PATH"
              + " --endpoint http://127.0.0.1:" + port + " --table-prefix " + TABLE_PREFIX + ")"));
      options.guardrailEndpoint().ifPresent(endpoint -> out.println("Guardrails: ApplyGuardrail at " + endpoint));
      out.println("Demo API key: " + key);
      return server;
    } catch (Exception | Error e) {
      dynamo.close();
      throw e;
    }
  }

  private static ConfigFile.Loaded load(Optional<Path> config) throws java.io.IOException {
    if (config.isPresent()) {
      return ConfigFile.read(config.get());
    }
    return Files.exists(DEFAULT_CONFIG) ? ConfigFile.read(DEFAULT_CONFIG) : ConfigFile.readBundledDevConfig();
  }

  /**
   * Locally, credentials come from the environment: a target whose {@code env:} variable is unset
   * (or that names a Secrets Manager secret) is switched off, and says so, instead of failing calls.
   */
  static List<ConfigItem> withLocalCredentials(List<ConfigItem> items, Map<String, String> env, PrintStream out) {
    List<ConfigItem> result = new ArrayList<>();
    boolean announced = false;
    for (ConfigItem item : items) {
      Optional<CredentialRef> ref =
          item.sk().startsWith(ItemKeys.TARGET_PREFIX) && item.attributes().path("credential").isTextual()
              ? CredentialRef.parse(item.attributes().path("credential").asText())
              : Optional.empty();
      String missing = ref.flatMap(r -> missingLocally(r, env)).orElse(null);
      if (missing == null || !item.attributes().path("enabled").asBoolean(true)) {
        result.add(item);
        continue;
      }
      ObjectNode attributes = item.attributes().deepCopy();
      attributes.put("enabled", false);
      result.add(new ConfigItem(item.pk(), item.sk(), attributes, item.location()));
      if (!announced) {
        out.println("Targets switched off here (their credential is not in this environment):");
        announced = true;
      }
      out.println("  off: " + item.location() + " (" + missing + ")");
    }
    return result;
  }

  private static Optional<String> missingLocally(CredentialRef ref, Map<String, String> env) {
    if (ref.kind() == CredentialRef.Kind.SECRET) {
      return Optional.of(ref + " needs AWS; use an env: credential locally");
    }
    String value = env.get(ref.name());
    return value == null || value.isBlank() ? Optional.of("set " + ref.name() + " to enable") : Optional.empty();
  }

  private static ConfigItem demoKeyItem(String key) {
    ObjectNode attributes = Json.object();
    attributes.put("consumer", "demo");
    attributes.put("group", "default");
    attributes.putArray("models").add("*");
    attributes.put("enabled", true);
    attributes.put("description", "dev server demo key");
    attributes.put("createdAt", Instant.now().toString());
    return new ConfigItem(ItemKeys.keyPk(ApiKeys.hash(key)), ItemKeys.KEY_SK, attributes, "demo key");
  }

  String baseUrl() {
    return "http://127.0.0.1:" + http.port() + "/v1";
  }

  int port() {
    return http.port();
  }

  String demoKey() {
    return demoKey;
  }

  DynamoDbClient dynamo() {
    return dynamo.client();
  }

  @Override
  public void close() {
    http.close();
    moderation.close();
    dynamo.close();
  }
}
