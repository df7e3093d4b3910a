package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.routing.RoutingRule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** config/examples/routing-rules.yaml: valid, its rules in evaluation order, and the same after export and re-read. */
class RoutingRulesYamlTest {

  private static final Path EXAMPLE = Path.of("..", "config", "examples", "routing-rules.yaml");

  @Test
  void theExampleRulesSurviveExportAsYamlAndReadBack() throws Exception {
    ConfigFile.Loaded loaded = ConfigFile.read(EXAMPLE);
    assertTrue(loaded.valid(), loaded.errors().toString());
    List<RoutingRule> rules = new ConfigValidator(ConfigFile.catalog()).validate(loaded.items(), Instant.EPOCH).config().rules();
    assertEquals(
        List.of("free-tier", "code", "stack-traces", "coding-keywords", "code-questions", "long-documents", "legal-team",
            "auto-default"),
        rules.stream().map(RoutingRule::name).toList());
    var semantic = rules.get(4).semantic().orElseThrow();
    assertEquals(14, semantic.examples().size());
    assertEquals(0.3, semantic.threshold());

    String yaml = ConfigFile.toYaml(loaded.items());
    assertTrue(yaml.contains("rules:"), yaml);
    ConfigFile.Loaded again = ConfigFile.parse("exported", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));

    assertTrue(again.valid(), again.errors().toString());
    assertEquals(sorted(loaded.items()), sorted(again.items()));
  }

  private static List<String> sorted(List<ConfigItem> items) {
    return items.stream()
        .sorted(Comparator.comparing(ConfigItem::pk).thenComparing(ConfigItem::sk))
        .map(item -> item.pk() + " " + item.sk() + " " + item.attributes())
        .toList();
  }
}
