package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** `tollgate config validate|apply|export` and `tollgate keys create` against DynamoDB Local on a port. */
class ConfigAndKeysCommandTest {

  private static final String TABLE = "tollgate-config";
  private static LocalDynamoDb dynamo;
  private static String endpoint;

  @TempDir Path dir;

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

  @BeforeEach
  void emptyTable() {
    for (ConfigItem item : items()) {
      dynamo.client().deleteItem(DeleteItemRequest.builder().tableName(TABLE)
          .key(Map.of(ItemKeys.PK, AttributeValue.fromS(item.pk()), ItemKeys.SK, AttributeValue.fromS(item.sk())))
          .build());
    }
  }

  private static List<ConfigItem> items() {
    return new DynamoDbConfigSource(dynamo.client(), TABLE).load();
  }

  private Path write(String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  private static final String VALID =
      """
      settings:
        maxAttempts: 2
      models:
        deepseek-chat:
          description: DeepSeek spread over three providers
          targets:
            - {id: ds-official, provider: deepseek, model: deepseek-chat, credential: "secret:tollgate/providers#deepseek", weight: 60}
            - {id: ds-volcengine, provider: volcengine-ark, model: deepseek-v3-250324, credential: "secret:tollgate/providers#ark", weight: 30}
            - {id: ds-selfhosted, provider: vllm, model: deepseek-ai/DeepSeek-V3, baseUrl: "http://10.0.0.12:8000/v1", weight: 10, timeoutMs: 20000}
      keys:
        - {sha256: "%s", consumer: alice, group: paid, models: [deepseek-chat]}
      limits:
        paid-tokens: {metric: totalTokens, limit: 200000, window: 1m, windowKind: sliding, scope: [consumer, "header:x-tenant"], targets: [ds-official]}
        monthly-cost: {metric: costUsd, limit: 99.5, window: 30d, onStoreFailure: failOpen}
      prices:
        deepseek-v3-250324: {inputPerMillion: 0.28, outputPerMillion: 1.12, cachedInputPerMillion: 0.07, description: Ark list price}
        deepseek-ai/DeepSeek-V3: {outputPerMillion: 0, inputPerMillion: 0}
      """.formatted(ApiKeys.hash("tg-alice"));

  @Test
  void applyWritesEveryItemAndExportGivesTheSameConfigBack() throws IOException {
    Path file = write("valid.yaml", VALID);
    CliRun apply = CliRun.of("config", "apply", file.toString(), "--endpoint", endpoint);
    assertEquals(0, apply.exitCode(), apply.out() + apply.err());
    assertTrue(apply.out().contains("10 items written"), apply.out());
    assertEquals(10, items().size());

    Path exported = dir.resolve("exported.yaml");
    CliRun export = CliRun.of("config", "export", "--endpoint", endpoint, "-o", exported.toString());
    assertEquals(0, export.exitCode(), export.err());
    CliRun toStdout = CliRun.of("config", "export", "--endpoint", endpoint);
    assertEquals(Files.readString(exported), toStdout.out(), "the same YAML on standard output, flushed");
    ConfigFile.Loaded original = ConfigFile.read(file);
    ConfigFile.Loaded roundTrip = ConfigFile.read(exported);
    assertTrue(roundTrip.valid(), roundTrip.errors().toString());
    assertEquals(byKey(original.items()), byKey(roundTrip.items()));
    String yaml = Files.readString(exported);
    assertTrue(yaml.indexOf("id: ds-official") < yaml.indexOf("provider: deepseek"), "fields in reading order:\n" + yaml);
    assertTrue(yaml.contains("limits:") && yaml.indexOf("metric: costUsd") < yaml.indexOf("limit: 99.5"), yaml);
    assertTrue(yaml.indexOf("prices:") < yaml.indexOf("deepseek-ai/DeepSeek-V3:")
        && yaml.indexOf("deepseek-ai/DeepSeek-V3:") < yaml.indexOf("deepseek-v3-250324:"), "prices sorted by model:\n" + yaml);
    assertTrue(yaml.indexOf("inputPerMillion: 0.28") < yaml.indexOf("outputPerMillion: 1.12")
        && yaml.indexOf("outputPerMillion: 1.12") < yaml.indexOf("cachedInputPerMillion: 0.07"), yaml);
  }

  private static Map<String, ObjectNode> byKey(List<ConfigItem> items) {
    return items.stream().collect(Collectors.toMap(i -> i.pk() + " " + i.sk(), ConfigItem::attributes));
  }

  @Test
  void aFileWithMistakesIsRejectedWithEveryErrorAndNothingIsWritten() throws IOException {
    Path file =
        write(
            "broken.yaml",
            """
            settings:
              maxAttempts: 0
            models:
              chat:
                targets:
                  - {id: a, provider: openia, model: gpt-4o}
                  - {id: b, provider: openai, model: gpt-4o, credential: "env:OPENAI_API_KEY", weight: -5}
                  - {id: c, provider: azure-openai, model: gpt-4o, credential: "env:AZURE_KEY"}
                  - {id: d, provider: mock, wieght: 3}
            """);
    CliRun apply = CliRun.of("config", "apply", file.toString(), "--endpoint", endpoint);
    assertEquals(2, apply.exitCode());
    String out = apply.out();
    assertTrue(out.contains("5 error(s); nothing was written"), out);
    assertTrue(out.contains("settings: maxAttempts = 0: expected an integer from 1 to 10"), out);
    assertTrue(out.contains("models.chat.targets[0]: provider = \"openia\": expected one of"), out);
    assertTrue(out.contains("models.chat.targets[1]: weight = -5: expected an integer from 0 to 1000000"), out);
    assertTrue(out.contains("models.chat.targets[2]: baseUrl is missing"), out);
    assertTrue(out.contains("models.chat.targets[3]: wieght = 3: expected no such field"), out);
    assertTrue(items().isEmpty(), "nothing may be written when the file has errors");
  }

  @Test
  void validateReportsWithoutNeedingATable() throws IOException {
    assertEquals(0, CliRun.of("config", "validate", write("ok.yaml", VALID).toString()).exitCode());
    CliRun bad = CliRun.of("config", "validate", write("bad.yaml", "models: [1, 2]\n").toString());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.out().contains("models: expected a mapping of model alias to its targets"), bad.out());
    CliRun yaml = CliRun.of("config", "validate", write("syntax.yaml", "models:\n  a: [\n").toString());
    assertEquals(2, yaml.exitCode());
    assertTrue(yaml.out().contains("valid YAML"), yaml.out());
  }

  @Test
  void pruneRemovesLimitsAndPricesTheFileNoLongerHas() throws IOException {
    assertEquals(0, CliRun.of("config", "apply", write("v.yaml", VALID).toString(), "--endpoint", endpoint).exitCode());
    Path smaller =
        write("prices.yaml",
            "models:\n  mock:\n    targets:\n      - {id: echo, provider: mock}\n"
                + "prices:\n  deepseek-v3-250324: {inputPerMillion: 0.3, outputPerMillion: 1.2}\n");
    CliRun apply = CliRun.of("config", "apply", smaller.toString(), "--endpoint", endpoint, "--prune");
    assertEquals(0, apply.exitCode(), apply.err());
    List<String> keys = items().stream().map(i -> i.pk() + " " + i.sk()).sorted().toList();
    assertTrue(keys.contains("price#deepseek-v3-250324 price"), keys.toString());
    assertFalse(keys.contains("price#deepseek-ai/DeepSeek-V3 price"), keys.toString());
    assertFalse(keys.stream().anyMatch(k -> k.startsWith("limit#")), keys.toString());
    ConfigItem price = items().stream().filter(i -> i.pk().equals("price#deepseek-v3-250324")).findFirst().orElseThrow();
    assertEquals("{\"inputPerMillion\":0.3,\"outputPerMillion\":1.2}", price.attributes().toString());
  }

  @Test
  void pruneRemovesRoutesTheFileNoLongerHas() throws IOException {
    assertEquals(0, CliRun.of("config", "apply", write("v.yaml", VALID).toString(), "--endpoint", endpoint).exitCode());
    Path smaller =
        write("small.yaml", "models:\n  mock:\n    targets:\n      - {id: echo, provider: mock}\n");
    CliRun apply = CliRun.of("config", "apply", smaller.toString(), "--endpoint", endpoint, "--prune");
    assertEquals(0, apply.exitCode(), apply.err());
    List<String> keys = items().stream().map(i -> i.pk() + " " + i.sk()).sorted().toList();
    assertTrue(keys.contains("route#mock target#echo"), keys.toString());
    assertFalse(keys.stream().anyMatch(k -> k.startsWith("route#deepseek-chat")), keys.toString());
    assertTrue(keys.stream().anyMatch(k -> k.startsWith("key#")), "keys are never pruned: " + keys);
    assertTrue(keys.contains("settings global"), "settings are never pruned: " + keys);
  }

  @Test
  void keysCreatePrintsTheKeyOnceAndStoresOnlyItsHash() {
    CliRun run =
        CliRun.of("keys", "create", "--consumer", "bob", "--group", "free", "--models", "mock,deepseek-chat",
            "--endpoint", endpoint);
    assertEquals(0, run.exitCode(), run.err());
    Matcher key = Pattern.compile("(?m)^(tg-[A-Za-z0-9_-]{43})$").matcher(run.out());
    assertTrue(key.find(), run.out());
    String raw =
        dynamo.client().scan(ScanRequest.builder().tableName(TABLE).build()).items().toString();
    assertFalse(raw.contains(key.group(1)), "the key itself must not be stored");
    List<ConfigItem> stored = items();
    assertEquals(1, stored.size());
    ConfigItem item = stored.getFirst();
    assertEquals(ItemKeys.keyPk(ApiKeys.hash(key.group(1))), item.pk());
    assertEquals("bob", item.attributes().path("consumer").asText());
    assertEquals("free", item.attributes().path("group").asText());
    assertEquals("[\"mock\",\"deepseek-chat\"]", item.attributes().path("models").toString());
  }

  @Test
  void keysCreateRefusesAnInvalidConsumerName() {
    CliRun run = CliRun.of("keys", "create", "--consumer", "bad name!", "--endpoint", endpoint);
    assertEquals(2, run.exitCode());
    assertTrue(run.out().contains("consumer"), run.out());
    assertTrue(items().isEmpty());
  }
}
