package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigItem;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filters section through `tollgate config apply|export|validate` and `--prune`, against DynamoDB Local. */
class FilterConfigCommandTest {

  private static final String TABLE = "tollgate-config";
  private static LocalDynamoDb dynamo;
  private static String endpoint;

  @TempDir Path dir;

  private static final String WITH_FILTERS =
      """
      models:
        mock:
          targets:
            - {id: echo, provider: mock}
      filters:
        no-leaks:
          description: keys, cards and code names never leave
          pii: [card, awsAccessKey, awsSecretKey]
          deny: ["(?i)project\\\\s+falcon"]
          custom:
            - {name: employeeId, pattern: "EMP-[0-9]{6}"}
          action: block
          on: both
          models: [mock]
          groups: [free]
          maxMatchChars: 128
        pii: {pii: [email, phone, iban]}
      """;

  @BeforeAll
  static void startDynamo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    dynamo = LocalDynamoDb.onPort(port);
    endpoint = "http://127.0.0.1:" + port;
    TableSchemas.createAll(dynamo.client(), "tollgate-");
  }

  @AfterAll
  static void stopDynamo() {
    dynamo.close();
  }

  private static Map<String, ObjectNode> items() {
    return new DynamoDbConfigSource(dynamo.client(), TABLE).load().stream()
        .collect(Collectors.toMap(i -> i.pk() + " " + i.sk(), ConfigItem::attributes));
  }

  private Path write(String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void filtersAreAppliedExportedAsWrittenAndPruned() throws IOException {
    Path file = write("filters.yaml", WITH_FILTERS);
    CliRun apply = CliRun.of("config", "apply", file.toString(), "--endpoint", endpoint);
    assertEquals(0, apply.exitCode(), apply.out() + apply.err());

    ObjectNode stored = items().get("filter#no-leaks filter");
    assertEquals("EMP-[0-9]{6}", stored.path("custom").get(0).path("pattern").asText(), stored.toString());
    assertEquals("(?i)project\\s+falcon", stored.path("deny").get(0).asText());

    Path exported = dir.resolve("exported.yaml");
    assertEquals(0, CliRun.of("config", "export", "--endpoint", endpoint, "-o", exported.toString()).exitCode());
    ConfigFile.Loaded roundTrip = ConfigFile.read(exported);
    assertTrue(roundTrip.valid(), roundTrip.errors().toString());
    assertEquals(
        ConfigFile.read(file).items().stream().collect(Collectors.toMap(i -> i.pk() + " " + i.sk(), ConfigItem::attributes)),
        roundTrip.items().stream().collect(Collectors.toMap(i -> i.pk() + " " + i.sk(), ConfigItem::attributes)));
    String yaml = Files.readString(exported);
    String noLeaks = yaml.substring(yaml.indexOf("no-leaks:"));
    assertTrue(noLeaks.indexOf("description:") < noLeaks.indexOf("pii:") && noLeaks.indexOf("pii:") < noLeaks.indexOf("action:")
        && noLeaks.indexOf("action:") < noLeaks.indexOf("models:"), "what it finds, what it does, for whom:\n" + yaml);

    Path smaller = write("smaller.yaml", WITH_FILTERS.substring(0, WITH_FILTERS.indexOf("filters:")) + "filters:\n  pii: {pii: [email]}\n");
    CliRun prune = CliRun.of("config", "apply", smaller.toString(), "--endpoint", endpoint, "--prune");
    assertEquals(0, prune.exitCode(), prune.out() + prune.err());
    List<String> filters = items().keySet().stream().filter(k -> k.startsWith("filter#")).sorted().toList();
    assertEquals(List.of("filter#pii filter"), filters);
  }

  @Test
  void aBadPatternIsReportedByValidateWithItsPlace() throws IOException {
    CliRun validate =
        CliRun.of("config", "validate", write("bad.yaml", "filters:\n  f: {deny: [\"(a)\\\\1\"], pii: [ssn]}\n").toString());

    assertEquals(2, validate.exitCode());
    assertTrue(validate.out().contains("filters.f: deny = \"(a)\\1\": expected an RE2 pattern"), validate.out());
    assertTrue(validate.out().contains("filters.f: pii = \"ssn\": expected a list of PII types"), validate.out());
  }
}
