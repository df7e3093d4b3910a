package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.moderation.Detector;
import dev.tollgate.moderation.FilterPolicy;
import dev.tollgate.moderation.FilterPolicy.Action;
import dev.tollgate.moderation.FilterPolicy.Side;
import dev.tollgate.testing.ConfigItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Filter items: every field read, defaulted or refused with a precise error; patterns compiled once, here. */
class FilterReaderTest {

  private static ConfigItems.Builder filter(String name) {
    return ConfigItems.item(ItemKeys.filterPk(name), ItemKeys.FILTER_SK);
  }

  private static FilterPolicy onlyFilter(ConfigItem item) {
    ValidatedConfig validated = validate(item);
    assertEquals(List.of(), validated.errors());
    assertEquals(1, validated.config().filters().size());
    return validated.config().filters().getFirst();
  }

  private static List<String> labels(FilterPolicy policy) {
    return policy.detectors().stream().map(Detector::label).toList();
  }

  @Test
  void aMinimalFilterRedactsAnswersForEveryone() {
    FilterPolicy policy = onlyFilter(filter("pii").with("pii", List.of("email")).build());

    assertEquals("pii", policy.name());
    assertEquals(List.of("email"), labels(policy));
    assertEquals(Action.REDACT, policy.action());
    assertEquals(Side.RESPONSE, policy.on());
    assertEquals(Set.of(), policy.models());
    assertEquals(Set.of(), policy.groups());
    assertEquals(256, policy.maxMatchChars());
  }

  @Test
  void everyFieldIsRead() {
    FilterPolicy policy =
        onlyFilter(
            filter("compliance.v2")
                .with("deny", List.of("(?i)project\\s+falcon", "internal-only"))
                .with("pii", List.of("email", "phone", "card", "iban", "awsAccessKey", "awsSecretKey"))
                .with("custom", List.of(Map.of("name", "employeeId", "pattern", "EMP-[0-9]{6}")))
                .with("action", "block")
                .with("on", "both")
                .with("models", List.of("chat", "gpt-4o"))
                .with("groups", List.of("free"))
                .with("maxMatchChars", 128)
                .with("description", "no leaks")
                .build());

    assertEquals(
        List.of("deny[0]", "deny[1]", "email", "phone", "card", "iban", "awsAccessKey", "awsSecretKey", "custom:employeeId"),
        labels(policy));
    assertEquals("[REDACTED:deny]", policy.detectors().getFirst().placeholder());
    assertEquals("[REDACTED:custom:employeeId]", policy.detectors().getLast().placeholder());
    assertEquals(Action.BLOCK, policy.action());
    assertEquals(Side.BOTH, policy.on());
    assertEquals(Set.of("chat", "gpt-4o"), policy.models());
    assertEquals(Set.of("free"), policy.groups());
    assertEquals(128, policy.holdback(), "custom patterns have no bound of their own");
  }

  @Test
  void aPatternRe2CannotCompileIsAnErrorSayingWhy() {
    ConfigError error =
        onlyError(filter("f").with("deny", List.of("ok", "(a)\\1")).build(), "deny", "RE2 says: invalid escape sequence");
    assertEquals("\"(a)\\1\"", error.value());
    onlyError(filter("f").with("deny", List.of("(?<=a)b")).build(), "deny", "no backreferences or lookaround");
    onlyError(
        filter("f").with("custom", List.of(Map.of("name", "x", "pattern", "[a-"))).build(), "custom[0].pattern", "RE2 says:");
  }

  @Test
  void aPatternThatMatchesEmptyTextIsRefused() {
    onlyError(filter("f").with("deny", List.of("x*")).build(), "deny", "cannot match empty text");
    onlyError(filter("f").with("deny", List.of("^")).build(), "deny", "cannot match empty text");
  }

  @Test
  void patternsAreBoundedInLengthAndNumber() {
    onlyError(filter("f").with("deny", List.of("a".repeat(1001))).build(), "deny", "an RE2 pattern of 1 to 1000 characters");
    onlyError(filter("f").with("deny", List.of("")).build(), "deny", "an RE2 pattern of 1 to 1000 characters");
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= 100; i++) {
      many.add("p" + i);
    }
    onlyError(filter("f").with("deny", many).build(), "deny", "a list of up to 100 patterns");
    onlyError(filter("f").with("deny", "just-one").build(), "deny", "a list of up to 100 patterns");
  }

  @Test
  void piiTypesAreNamedExactlyAndOnce() {
    ConfigError unknown = onlyError(filter("f").with("pii", List.of("email", "ssn")).build(), "pii",
        "a list of PII types, each at most once, from: email, phone, card, iban, awsAccessKey, awsSecretKey");
    assertEquals("\"ssn\"", unknown.value());
    onlyError(filter("f").with("pii", List.of("card", "card")).build(), "pii", "each at most once");
    onlyError(filter("f").with("pii", List.of("Email")).build(), "pii", "from: email,");
  }

  @Test
  void customEntriesNeedANameAndAPatternAndNothingElse() {
    onlyError(filter("f").with("custom", List.of(Map.of("pattern", "x"))).build(), "custom[0]", "exactly a name and a pattern");
    onlyError(filter("f").with("custom", List.of(Map.of("name", "x", "pattern", "y", "flags", "i"))).build(), "custom[0]",
        "exactly a name and a pattern");
    onlyError(filter("f").with("custom", List.of(Map.of("name", "bad name", "pattern", "y"))).build(), "custom[0].name",
        "1 to 64 characters");
    onlyError(
        filter("f").with("custom", List.of(Map.of("name", "a", "pattern", "x"), Map.of("name", "a", "pattern", "y"))).build(),
        "custom[1].name", "a name no other custom pattern of this filter has");
    onlyError(filter("f").with("custom", Map.of("name", "a", "pattern", "x")).build(), "custom", "a list of up to 100");
    onlyError(filter("f").with("custom", List.of(Map.of("name", "a", "pattern", 5))).build(), "custom[0].pattern", "an RE2 pattern");
  }

  @Test
  void aFilterThatLooksForNothingIsAnError() {
    ConfigItem item = filter("empty").with("action", "block").build();
    List<ConfigError> errors = validate(item).errors();
    assertEquals(1, errors.size(), errors.toString());
    assertEquals(
        item.location() + ": expected at least one of deny, pii or custom (a filter that looks for nothing does nothing)",
        errors.getFirst().message());
  }

  @Test
  void choicesAreCheckedWithWhatIsAllowed() {
    onlyError(filter("f").with("pii", List.of("email")).with("action", "mask").build(), "action", "one of block, redact");
    onlyError(filter("f").with("pii", List.of("email")).with("on", "output").build(), "on", "one of both, request, response");
    onlyError(filter("f").with("pii", List.of("email")).with("maxMatchChars", 8).build(), "maxMatchChars", "an integer from 16 to 4096");
    onlyError(filter("f").with("pii", List.of("email")).with("models", List.of()).build(), "models", "leave it out to match all");
    onlyError(filter("f").with("pii", List.of("email")).with("groups", List.of("no spaces")).build(), "groups", "group names");
    onlyError(filter("f").with("pii", List.of("email")).with("patterns", List.of("x")).build(), "patterns",
        "no such field; allowed: action, custom, deny, description, groups, maxMatchChars, models, on, pii");
  }

  @Test
  void theKeyMustNameTheFilter() {
    onlyError(filter("has space").with("pii", List.of("email")).build(), "pk", "'filter#' followed by a filter name");
    ConfigItem wrongSk = ConfigItems.item("filter#f", "rule").with("pii", List.of("email")).build();
    List<ConfigError> errors = validate(wrongSk).errors();
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.getFirst().message().endsWith("expected sk to be 'filter' for a filter item"));
  }

  @Test
  void aBadFilterIsLeftOutWholeAndTheOthersStay() {
    ValidatedConfig validated =
        validate(
            filter("good").with("pii", List.of("card")).build(),
            filter("bad").with("pii", List.of("card")).with("deny", List.of("(")).build());

    assertEquals(1, validated.errors().size());
    assertEquals(List.of("good"), validated.config().filters().stream().map(FilterPolicy::name).toList());
  }

  @Test
  void theFiltersSectionRoundTripsThroughTheDocument() {
    JsonNode document =
        Json.parse(
            """
            {"filters": {
              "no-leaks": {"description": "keys and cards", "pii": ["card", "awsAccessKey"], "deny": ["internal-only"],
                "custom": [{"name": "ticket", "pattern": "TCK-[0-9]+"}], "action": "block", "on": "both",
                "models": ["chat"], "groups": ["free"], "maxMatchChars": 64},
              "emails": {"pii": ["email"]}}}
            """);
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(document, errors);

    assertEquals(List.of(), errors);
    assertEquals(List.of("filter#no-leaks filter @ filters.no-leaks", "filter#emails filter @ filters.emails"),
        items.stream().map(i -> i.pk() + " " + i.sk() + " @ " + i.location()).toList());
    assertEquals(List.of(), validate(items.toArray(ConfigItem[]::new)).errors());
    ObjectNode exported = ConfigDocument.fromItems(items);
    assertEquals(List.of("emails", "no-leaks"), names(exported.get("filters")), "sorted by name");
    assertEquals(List.of("description", "pii", "deny", "custom", "action", "on", "models", "groups", "maxMatchChars"),
        names(exported.get("filters").get("no-leaks")), "in reading order");
    assertEquals(document.get("filters").get("no-leaks"), exported.get("filters").get("no-leaks"));
    assertEquals(document.get("filters").get("emails"), exported.get("filters").get("emails"));
  }

  @Test
  void theFiltersSectionMustBeAMappingOfNames() {
    List<ConfigError> errors = new ArrayList<>();
    ConfigDocument.toItems(Json.parse("{\"filters\": {\"pii\": [\"email\"]}}"), errors);
    assertEquals(
        List.of("filters.pii: expected a mapping with deny, pii or custom and optional action, on, models, groups"),
        errors.stream().map(ConfigError::message).toList());
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
