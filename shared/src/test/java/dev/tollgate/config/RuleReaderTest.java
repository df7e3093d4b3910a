package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.routing.RoutingRule;
import dev.tollgate.testing.ConfigItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing rule items: every field read or refused with a precise error, checked against the aliases; the document both ways. */
class RuleReaderTest {

  private static final ConfigItem SMALL = ConfigItems.target("small", "s").with("provider", "mock").build();
  private static final ConfigItem CODER = ConfigItems.target("coder", "c").with("provider", "mock").build();

  private static ConfigItems.Builder rule(String name) {
    return ConfigItems.item(ItemKeys.rulePk(name), ItemKeys.RULE_SK).with("to", "small");
  }

  private static RoutingRule only(ConfigItem item) {
    ValidatedConfig validated = validate(item, SMALL, CODER);
    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().rules().size());
    return validated.config().rules().getFirst();
  }

  /** The errors of {@code item} with the aliases small and coder configured. */
  private static ConfigError onlyRuleError(ConfigItem item, String field, String expectedText) {
    List<ConfigError> errors = validate(item, SMALL, CODER).errors();
    assertEquals(1, errors.size(), errors.toString());
    ConfigError error = errors.getFirst();
    assertEquals(item.location(), error.location());
    assertEquals(field, error.field());
    assertTrue(error.message().contains(expectedText), error.message());
    return error;
  }

  @Test
  void theSmallestRuleMatchesEveryRequest() {
    RoutingRule rule = only(rule("everything").build());
    assertEquals("everything", rule.name());
    assertEquals(0, rule.order());
    assertEquals("small", rule.to());
    assertEquals(Set.of(), rule.models());
    assertEquals(Map.of(), rule.headers());
    assertEquals(Optional.empty(), rule.pattern());
    assertEquals(Optional.empty(), rule.hasCode());
    assertEquals(0, rule.minPromptTokens());
  }

  @Test
  void everyFieldIsRead() {
    RoutingRule rule =
        only(
            rule("code")
                .with("order", -5)
                .with("to", "coder")
                .with("models", List.of("auto", "chat"))
                .with("groups", List.of("paid"))
                .with("headers", Map.of("X-Team", "^platform$"))
                .with("metadata", Map.of("task", "(?i)review"))
                .with("pattern", "(?i)stack ?trace")
                .with("keywords", List.of("Refactor", "compile"))
                .with("minPromptTokens", 2000)
                .with("hasCode", true)
                .with("hasImages", false)
                .with("hasTools", true)
                .with("description", "code to the code model")
                .build());
    assertEquals(-5, rule.order());
    assertEquals("coder", rule.to());
    assertEquals(Set.of("auto", "chat"), rule.models());
    assertEquals(Set.of("paid"), rule.groups());
    assertEquals("^platform$", rule.headers().get("X-Team").pattern());
    assertEquals("(?i)review", rule.metadata().get("task").pattern());
    assertEquals("(?i)stack ?trace", rule.pattern().orElseThrow().pattern());
    assertEquals(List.of("refactor", "compile"), rule.keywords(), "keywords are folded to lower case once");
    assertEquals(2000, rule.minPromptTokens());
    assertEquals(Optional.of(true), rule.hasCode());
    assertEquals(Optional.of(false), rule.hasImages());
    assertEquals(Optional.of(true), rule.hasTools());
  }

  @Test
  void rulesAreKeptByOrderThenName() {
    ValidatedConfig validated =
        validate(rule("b").with("order", 1).build(), rule("a").with("order", 2).build(), rule("c").with("order", 1).build(),
            rule("z").with("order", -1).build(), SMALL);
    assertEquals(List.of(), validated.errors());
    assertEquals(List.of("z", "b", "c", "a"), validated.config().rules().stream().map(RoutingRule::name).toList());
  }

  @Test
  void aRuleToAnAliasThatDoesNotExistIsAnErrorNamingItAndIsLeftOut() {
    ConfigItem item = rule("to-nowhere").with("to", "gpt-9").build();
    ValidatedConfig validated = validate(item, SMALL);
    assertEquals(1, validated.errors().size(), validated.errors().toString());
    ConfigError error = validated.errors().getFirst();
    assertEquals("to", error.field());
    assertEquals("\"gpt-9\"", error.value());
    assertTrue(error.message().contains("'gpt-9' is not configured (configured: small)"), error.message());
    assertEquals(List.of(), validated.config().rules());
  }

  @Test
  void theTargetAliasMayBeConfiguredAfterTheRule() {
    ValidatedConfig validated = validate(rule("late").build(), SMALL);
    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().rules().size());
  }

  @Test
  void aPatternRe2CannotCompileIsAnErrorWithRe2sReason() {
    ConfigError error = onlyRuleError(rule("bad").with("pattern", "(?<=x)y").build(), "pattern", "RE2 says:");
    assertTrue(error.message().contains("no backreferences or lookaround"), error.message());
    onlyRuleError(rule("bad").with("headers", Map.of("x-team", "(unclosed")).build(), "headers.x-team", "RE2 says:");
    onlyRuleError(rule("bad").with("metadata", Map.of("task", "a**")).build(), "metadata.task", "RE2 says:");
  }

  @Test
  void eachBadFieldIsNamedWithWhatIsExpected() {
    onlyRuleError(rule("r").without("to").build(), "to", "the model alias to route to");
    onlyRuleError(rule("r").with("to", "has space").build(), "to", "the model alias to route to");
    onlyRuleError(rule("r").with("order", 1.5).build(), "order", "an integer from -1000000 to 1000000");
    onlyRuleError(rule("r").with("order", "first").build(), "order", "an integer from");
    onlyRuleError(rule("r").with("models", List.of()).build(), "models", "a non-empty list of");
    onlyRuleError(rule("r").with("groups", "free").build(), "groups", "a non-empty list of consumer group names");
    onlyRuleError(rule("r").with("headers", List.of("x-team")).build(), "headers", "a mapping of up to 50 names");
    onlyRuleError(rule("r").with("headers", Map.of()).build(), "headers", "a mapping of up to 50 names");
    onlyRuleError(rule("r").with("headers", Map.of("bad header", "x")).build(), "headers", "an HTTP header name");
    onlyRuleError(rule("r").with("headers", Map.of("x-team", 3)).build(), "headers.x-team", "an RE2 pattern (a string)");
    onlyRuleError(rule("r").with("pattern", "").build(), "pattern", "an RE2 pattern of 1 to 2000 characters");
    onlyRuleError(rule("r").with("pattern", List.of("a")).build(), "pattern", "an RE2 pattern (a string)");
    onlyRuleError(rule("r").with("keywords", "refactor").build(), "keywords", "a list of up to 50 keywords");
    onlyRuleError(rule("r").with("keywords", List.of("ok", " ")).build(), "keywords[1]", "not blank");
    onlyRuleError(rule("r").with("minPromptTokens", 0).build(), "minPromptTokens", "an integer from 1 to 10000000");
    onlyRuleError(rule("r").with("hasCode", "yes").build(), "hasCode", "true or false");
    onlyRuleError(rule("r").with("hasImages", 1).build(), "hasImages", "true or false");
    onlyRuleError(rule("r").with("hasTool", true).build(), "hasTool", "no such field");
    onlyRuleError(rule("has space").build(), "pk", "'rule#' followed by a name");
    onlyRuleError(ConfigItems.item(ItemKeys.rulePk("r"), "rules").with("to", "small").build(), null, "sk to be 'rule'");
  }

  @Test
  void aBadRuleDoesNotStopTheOthers() {
    ValidatedConfig validated = validate(rule("good").build(), rule("bad").with("pattern", "(").build(), SMALL);
    assertEquals(1, validated.errors().size());
    assertEquals(List.of("good"), validated.config().rules().stream().map(RoutingRule::name).toList());
  }

  /** Every rule field, written in the order export writes it. */
  private static final String DOCUMENT =
      """
      {"models": {"small": {"targets": [{"id": "s", "provider": "mock"}]},
                  "coder": {"targets": [{"id": "c", "provider": "mock"}]}},
       "rules": {
         "code": {"description": "code to the code model", "order": 10, "to": "coder", "models": ["auto"],
           "groups": ["paid"], "headers": {"x-team": "^platform$"}, "metadata": {"task": "review"},
           "pattern": "(?i)stack ?trace", "keywords": ["refactor"], "minPromptTokens": 100,
           "hasCode": true, "hasImages": false, "hasTools": false},
         "free": {"order": 20, "to": "small", "groups": ["free"]}}}
      """;

  @Test
  void theRulesSectionBecomesOneItemPerRuleAndExportsAsItWasWritten() {
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(Json.parse(DOCUMENT), errors);

    assertEquals(List.of(), errors);
    assertEquals(
        List.of("rule#code rule @ rules.code", "rule#free rule @ rules.free"),
        items.stream().filter(i -> i.pk().startsWith("rule#")).map(i -> i.pk() + " " + i.sk() + " @ " + i.location()).toList());
    ValidatedConfig validated = new ConfigValidator(dev.tollgate.testing.StandardProviders.registry())
        .validate(items, java.time.Instant.EPOCH);
    assertEquals(List.of(), validated.errors());
    assertEquals(List.of("code", "free"), validated.config().rules().stream().map(RoutingRule::name).toList());
    JsonNode exported = ConfigDocument.fromItems(items);
    assertEquals(Json.parse(DOCUMENT).get("rules").toString(), exported.get("rules").toString());
  }

  @Test
  void aRuleThatIsNotAMappingIsAStructuralError() {
    List<ConfigError> errors = new ArrayList<>();
    ConfigDocument.toItems(Json.parse("{\"rules\": {\"code\": \"coder\"}}"), errors);
    assertEquals(1, errors.size());
    assertEquals("rules.code", errors.getFirst().location());
  }
}
