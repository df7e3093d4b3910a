package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.ValidatedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the README and config/ show people must be valid config, or the docs are lying. */
class DocumentedConfigTest {

  private static final Path REPO = Path.of("..");

  @Test
  void everyConfigFileInTheRepoIsValid() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(REPO.resolve("config"))) {
      files = walk.filter(p -> p.toString().endsWith(".yaml")).toList();
    }
    assertTrue(files.size() >= 3, "dev.yaml and the examples: " + files);
    for (Path file : files) {
      ConfigFile.Loaded loaded = ConfigFile.read(file);
      assertTrue(loaded.valid(), file + ": " + loaded.errors());
      assertFalse(loaded.items().isEmpty(), file + " has no items");
    }
  }

  @Test
  void everyItemTheReadmePutsIntoDynamoDbIsValid() throws IOException {
    String readme = Files.readString(REPO.resolve("README.md"));
    Matcher item = Pattern.compile("--item '(\\{.*?\\})'", Pattern.DOTALL).matcher(readme);
    List<ConfigItem> items = new ArrayList<>();
    while (item.find()) {
      ObjectNode attributes = fromDynamoJson(Json.parse(item.group(1)));
      String pk = attributes.remove("pk").asText();
      String sk = attributes.remove("sk").asText();
      items.add(ConfigItem.fromTable(pk, sk, attributes));
    }
    assertEquals(19, items.size(), "the README's put-item examples");
    ValidatedConfig validated = new ConfigValidator(ConfigFile.catalog()).validate(items, Instant.now());
    assertTrue(validated.valid(), validated.errors().toString());
    assertEquals(1, validated.config().limits().size(), "the README's limit policy example");
    assertEquals(java.util.Set.of("no-injection"), validated.config().prompts().guards().keySet(), "the README's guard example");
    assertEquals(java.util.Set.of("house-style"), validated.config().prompts().decorators().keySet(), "the README's decorator example");
    assertEquals(java.util.Set.of("summary"), validated.config().prompts().templates().keySet(), "the README's template example");
    assertEquals(2, validated.config().filters().size(), "the README's filter examples");
    assertEquals(1, validated.config().guardrails().size(), "the README's guardrail example");
    assertEquals(2, validated.config().rules().size(), "the README's routing rule examples");
    assertEquals(2, validated.config().caches().size(), "the README's response cache examples");
    assertEquals(1, validated.config().rag().size(), "the README's retrieval policy example");
    assertEquals(
        java.util.Set.of("anthropic.claude-3-5-sonnet-20241022-v2:0"), validated.config().prices().keySet(),
        "the README's model price example");
    var weights =
        validated.config().route("deepseek-chat").orElseThrow().targets().stream().mapToInt(t -> t.weight()).sorted().toArray();
    assertEquals("[10, 30, 60]", java.util.Arrays.toString(weights));
  }

  /** DynamoDB's JSON ({"S": ...}, {"N": ...}, {"BOOL": ...}, {"L": [...]}, {"M": {...}}) to plain JSON, as the table adapter reads it. */
  private static ObjectNode fromDynamoJson(JsonNode item) {
    ObjectNode plain = Json.object();
    item.properties().forEach(entry -> plain.set(entry.getKey(), plainValue(entry.getValue())));
    return plain;
  }

  private static JsonNode plainValue(JsonNode typed) {
    String type = typed.fieldNames().next();
    JsonNode value = typed.get(type);
    return switch (type) {
      case "S" -> Json.mapper().getNodeFactory().textNode(value.asText());
      case "N" -> Json.mapper().getNodeFactory().numberNode(new java.math.BigDecimal(value.asText()));
      case "BOOL" -> Json.mapper().getNodeFactory().booleanNode(value.asBoolean());
      case "L" -> {
        var list = Json.array();
        value.forEach(element -> list.add(plainValue(element)));
        yield list;
      }
      case "M" -> fromDynamoJson(value);
      default -> throw new IllegalArgumentException("README example uses DynamoDB type " + type);
    };
  }
}
