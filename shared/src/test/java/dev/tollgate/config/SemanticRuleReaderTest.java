package dev.tollgate.config;

import static dev.tollgate.config.Validation.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.routing.RoutingRule;
import dev.tollgate.routing.SemanticCondition;
import dev.tollgate.testing.ConfigItems;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The semantic condition of a routing rule item: read as written, or refused with the field and what is expected. */
class SemanticRuleReaderTest {

  private static final ConfigItem SMALL = ConfigItems.target("small", "s").with("provider", "mock").build();

  private static ConfigItem rule(Object semantic) {
    return ConfigItems.item(ItemKeys.rulePk("code"), ItemKeys.RULE_SK).with("to", "small").with("semantic", semantic).build();
  }

  private static void refused(Object semantic, String field, String expectedText) {
    ConfigItem item = rule(semantic);
    ValidatedConfig validated = validate(item, SMALL);
    assertEquals(List.of(), validated.config().rules(), "a bad rule is left out");
    assertEquals(1, validated.errors().size(), validated.errors().toString());
    ConfigError error = validated.errors().getFirst();
    assertEquals(field, error.field());
    assertTrue(error.message().contains(expectedText), error.message());
  }

  @Test
  void examplesAndThresholdAreRead() {
    ValidatedConfig validated =
        validate(rule(Map.of("examples", List.of("write a python function", "fix my SQL query"), "threshold", 0.55)), SMALL);
    assertEquals(List.of(), validated.errors());
    SemanticCondition condition = validated.config().rules().getFirst().semantic().orElseThrow();
    assertEquals(List.of("write a python function", "fix my SQL query"), condition.examples());
    assertEquals(0.55, condition.threshold());
    assertTrue(condition.unavailable().isPresent(), "a validator without an embedder leaves the examples unembedded");
  }

  @Test
  void aRuleWithoutSemanticHasNone() {
    ConfigItem plain = ConfigItems.item(ItemKeys.rulePk("plain"), ItemKeys.RULE_SK).with("to", "small").build();
    RoutingRule rule = validate(plain, SMALL).config().rules().getFirst();
    assertTrue(rule.semantic().isEmpty());
  }

  @Test
  void theThresholdIsANumberFromZeroToOne() {
    refused(Map.of("examples", List.of("x"), "threshold", 1.5), "semantic.threshold", "a number from 0 to 1");
    refused(Map.of("examples", List.of("x"), "threshold", -0.1), "semantic.threshold", "a number from 0 to 1");
    refused(Map.of("examples", List.of("x"), "threshold", "high"), "semantic.threshold", "a number from 0 to 1");
    refused(Map.of("examples", List.of("x")), "semantic.threshold", "semantic.threshold is missing");
  }

  @Test
  void examplesAreOneToFiftyPromptsNoneBlank() {
    refused(Map.of("examples", List.of(), "threshold", 0.5), "semantic.examples", "a list of 1 to 50 example prompts");
    refused(Map.of("threshold", 0.5), "semantic.examples", "a list of 1 to 50 example prompts");
    refused(Map.of("examples", Collections.nCopies(51, "x"), "threshold", 0.5), "semantic.examples", "a list of 1 to 50");
    refused(Map.of("examples", "write code", "threshold", 0.5), "semantic.examples", "a list of 1 to 50");
    refused(Map.of("examples", List.of("fine", "  "), "threshold", 0.5), "semantic.examples[1]", "not blank");
    refused(Map.of("examples", List.of("x".repeat(2001)), "threshold", 0.5), "semantic.examples[0]", "1 to 2000 characters");
  }

  @Test
  void semanticIsAMappingOfExamplesAndThresholdOnly() {
    refused("code please", "semantic", "a mapping with examples");
    refused(Map.of("examples", List.of("x"), "threshold", 0.5, "centroid", true), "semantic.centroid", "allowed: examples, threshold");
  }
}
