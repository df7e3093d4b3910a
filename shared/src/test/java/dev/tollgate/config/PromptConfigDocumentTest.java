package dev.tollgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.prompt.PromptPolicies;
import dev.tollgate.testing.StandardProviders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guards, decorators and templates sections of the config document, both ways. */
class PromptConfigDocumentTest {

  /** Every prompt policy field, written in the order export writes it. */
  private static final String PROMPTS =
      """
      {"guards": {
         "no-injection": {"description": "prompt injection", "deny": ["(?i)ignore (all )?previous instructions", "(?i)system prompt"],
           "roles": "all", "messages": "all", "action": "block", "models": ["chat"], "groups": ["public"]},
         "topics": {"allow": ["(?i)invoice|refund"], "action": "flag"}},
       "decorators": {
         "house-style": {"description": "tone", "prepend": [{"role": "system", "content": "Answer in British English."}],
           "append": [{"role": "user", "content": "Be brief."}], "models": ["chat"], "groups": ["public"]}},
       "templates": {
         "summary": {"description": "summaries", "messages": [
             {"role": "system", "content": "You write for {{audience}}."},
             {"role": "user", "content": "Summarise: {{text}}"}],
           "models": ["chat"], "groups": ["public"]}}}
      """;

  @Test
  void eachPolicyBecomesOneItemWithReadableLocations() {
    List<ConfigError> errors = new ArrayList<>();

    List<ConfigItem> items = ConfigDocument.toItems(Json.parse(PROMPTS), errors);

    assertEquals(List.of(), errors);
    assertEquals(
        List.of(
            "guard#no-injection guard @ guards.no-injection",
            "guard#topics guard @ guards.topics",
            "decorator#house-style decorator @ decorators.house-style",
            "template#summary template @ templates.summary"),
        items.stream().map(i -> i.pk() + " " + i.sk() + " @ " + i.location()).toList());
    PromptPolicies prompts =
        new ConfigValidator(StandardProviders.registry()).validate(items, Instant.EPOCH).config().prompts();
    assertEquals(List.of("no-injection", "topics"), List.copyOf(prompts.guards().keySet()));
    assertEquals(List.of("audience", "text"), List.copyOf(prompts.templates().get("summary").variables()));
  }

  @Test
  void documentToItemsToDocumentPreservesEveryFieldInReadingOrder() {
    JsonNode original = Json.parse(PROMPTS);

    JsonNode exported = ConfigDocument.fromItems(ConfigDocument.toItems(original, new ArrayList<>()));

    assertEquals(Json.text(original), Json.text(exported), "same fields, same order");
  }

  @Test
  void eachSectionMustBeAMappingOfNamesToMappings() {
    assertStructural("{\"guards\": [\"x\"]}", "guards: expected a mapping of guard name to its patterns");
    assertStructural("{\"decorators\": {\"d\": \"be nice\"}}",
        "decorators.d: expected a mapping with prepend and/or append messages and optional models, groups");
    assertStructural("{\"templates\": {\"t\": []}}",
        "templates.t: expected a mapping with messages and optional description, models, groups");
  }

  private static void assertStructural(String document, String message) {
    List<ConfigError> errors = new ArrayList<>();
    ConfigDocument.toItems(Json.parse(document), errors);
    assertEquals(List.of(message), errors.stream().map(ConfigError::message).toList());
  }
}
