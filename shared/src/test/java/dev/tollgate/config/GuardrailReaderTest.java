package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.moderation.GuardrailRule;
import dev.tollgate.moderation.GuardrailRule.OnError;
import dev.tollgate.testing.ConfigItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Guardrail items: every field read, defaulted or refused with a precise error; YAML both ways. */
class GuardrailReaderTest {

  private static ConfigItems.Builder guardrail(String name) {
    return ConfigItems.item(ItemKeys.guardrailPk(name), ItemKeys.GUARDRAIL_SK)
        .with("guardrailId", "gr1a2b3c4d5e")
        .with("guardrailVersion", "1")
        .with("input", true);
  }

  private static GuardrailRule only(ConfigItem item) {
    ValidatedConfig validated = validate(item);
    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().guardrails().size());
    return validated.config().guardrails().getFirst();
  }

  @Test
  void theSmallestGuardrailChecksInputsAndFailsClosed() {
    GuardrailRule rule = only(guardrail("safety").build());
    assertEquals(
        new GuardrailRule("safety", "gr1a2b3c4d5e", "1", true, false, OnError.FAIL_CLOSED, 0, Duration.ofDays(1), Set.of(), Set.of()),
        rule);
  }

  @Test
  void everyFieldIsRead() {
    GuardrailRule rule =
        only(
            guardrail("safety")
                .with("guardrailId", "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123")
                .with("guardrailVersion", "DRAFT")
                .with("output", true)
                .with("onError", "failOpen")
                .with("disableAfterFlags", 3)
                .with("flagWindow", "12h")
                .with("models", List.of("chat"))
                .with("groups", List.of("interns"))
                .with("description", "the compliance guardrail")
                .build());
    assertEquals(
        new GuardrailRule("safety", "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123", "DRAFT", true, true,
            OnError.FAIL_OPEN, 3, Duration.ofHours(12), Set.of("chat"), Set.of("interns")),
        rule);
    assertTrue(rule.matches("chat", "interns"));
    assertTrue(!rule.matches("chat", "staff") && !rule.matches("other", "interns"));
  }

  @Test
  void aYamlVersionNumberIsTakenAsItsDigits() {
    assertEquals("7", only(guardrail("safety").with("guardrailVersion", 7).build()).guardrailVersion());
  }

  @Test
  void eachBadFieldIsNamedWithWhatIsExpected() {
    onlyError(guardrail("safety").without("guardrailId").build(), "guardrailId", "a Bedrock guardrail id");
    onlyError(guardrail("safety").with("guardrailId", "Has Spaces").build(), "guardrailId", "a Bedrock guardrail id");
    onlyError(guardrail("safety").with("guardrailVersion", "v1").build(), "guardrailVersion", "a number like 1, or DRAFT");
    onlyError(guardrail("safety").with("guardrailVersion", 0).build(), "guardrailVersion", "a number like 1, or DRAFT");
    onlyError(guardrail("safety").with("input", "yes").build(), "input", "true or false");
    onlyError(guardrail("safety").with("input", false).build(), "input", "a guardrail doing neither does nothing");
    onlyError(guardrail("safety").with("onError", "open").build(), "onError", "failClosed");
    onlyError(guardrail("safety").with("output", true).with("disableAfterFlags", 0).build(), "disableAfterFlags",
        "an integer from 1 to 1000000");
    onlyError(guardrail("safety").with("disableAfterFlags", 3).build(), "disableAfterFlags", "unless output is true");
    onlyError(guardrail("safety").with("output", true).with("flagWindow", "1w").build(), "flagWindow", "30s, 1m, 1h, 1d");
    onlyError(guardrail("safety").with("output", true).with("flagWindow", "32d").build(), "flagWindow", "from 1s to 31d");
    onlyError(guardrail("safety").with("models", List.of()).build(), "models", "a non-empty list of");
    onlyError(guardrail("safety").with("groups", "interns").build(), "groups", "a non-empty list of group names");
    onlyError(guardrail("safety").with("inputs", true).build(), "inputs", "no such field");
    onlyError(guardrail("has space").build(), "pk", "'guardrail#' followed by a name");
    onlyError(ConfigItems.item(ItemKeys.guardrailPk("safety"), "other").with("guardrailId", "gr1").with("guardrailVersion", "1")
        .with("input", true).build(), null, "sk to be 'guardrail'");
  }

  @Test
  void aBadGuardrailIsLeftOutAndTheRestStays() {
    ValidatedConfig validated =
        validate(guardrail("good").build(), guardrail("bad").with("onError", "sometimes").build());
    assertEquals(1, validated.errors().size());
    assertEquals(List.of("good"), validated.config().guardrails().stream().map(GuardrailRule::name).toList());
  }

  @Test
  void theYamlSectionBecomesItemsAndExportsBack() {
    String yaml =
        """
        {"guardrails": {"safety": {"guardrailId": "gr1a2b3c4d5e", "guardrailVersion": "1", "input": true,
          "output": true, "disableAfterFlags": 5, "flagWindow": "1d", "groups": ["interns"]}}}
        """;
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(Json.parse(yaml), errors);
    assertEquals(List.of(), errors);
    assertEquals(1, items.size());
    assertEquals(ItemKeys.guardrailPk("safety"), items.getFirst().pk());
    assertEquals(ItemKeys.GUARDRAIL_SK, items.getFirst().sk());
    assertEquals(List.of(), validate(items.getFirst()).errors());
    ObjectNode exported = ConfigDocument.fromItems(items);
    assertEquals(Json.parse(yaml), exported);
    assertEquals(List.of("guardrailId", "guardrailVersion", "input", "output", "disableAfterFlags", "flagWindow", "groups"),
        iterate(exported.path("guardrails").path("safety")));
  }

  @Test
  void aGuardrailsSectionThatIsNotAMappingIsAStructuralError() {
    List<ConfigError> errors = new ArrayList<>();
    ConfigDocument.toItems(Json.parse("{\"guardrails\": [1]}"), errors);
    assertEquals(1, errors.size());
    assertTrue(errors.getFirst().message().contains("guardrail name to its fields"), errors.toString());
  }

  private static List<String> iterate(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
