package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.validate;
import static dev.tollgate.testing.ConfigItems.decorator;
import static dev.tollgate.testing.ConfigItems.guard;
import static dev.tollgate.testing.ConfigItems.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.prompt.PromptDecorator;
import dev.tollgate.prompt.PromptGuard;
import dev.tollgate.prompt.PromptMatch;
import dev.tollgate.prompt.PromptMessage;
import dev.tollgate.prompt.PromptPolicies;
import dev.tollgate.prompt.PromptTemplate;
import dev.tollgate.testing.ConfigItems;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guard, decorator and template items: every field read, defaulted or refused with a precise error. */
class PromptReadersTest {

  private static PromptPolicies valid(ConfigItem... items) {
    ValidatedConfig validated = validate(items);
    assertEquals(List.of(), validated.errors());
    return validated.config().prompts();
  }

  private static Map<String, String> message(String role, String content) {
    return Map.of("role", role, "content", content);
  }

  @Test
  void aGuardWithOnlyDenyPatternsTakesTheDefaults() {
    PromptGuard guard = valid(guard("g").with("deny", List.of("(?i)secret")).build()).guards().get("g");

    assertEquals(PromptGuard.Roles.USER, guard.roles());
    assertEquals(PromptGuard.History.LAST, guard.messages());
    assertEquals(PromptGuard.Action.BLOCK, guard.action());
    assertEquals(PromptMatch.ANY, guard.match());
    assertEquals(List.of(), guard.allow());
    assertEquals("(?i)secret", guard.deny().getFirst().pattern());
  }

  @Test
  void everyGuardFieldIsRead() {
    PromptGuard guard =
        valid(guard("all-fields")
            .with("allow", List.of("a", "b"))
            .with("deny", List.of("c"))
            .with("roles", "all")
            .with("messages", "all")
            .with("action", "flag")
            .with("models", List.of("chat", "gpt-4o"))
            .with("groups", List.of("team-a"))
            .with("description", "watch everything")
            .build()).guards().get("all-fields");

    assertEquals(List.of("a", "b"), guard.allow().stream().map(p -> p.pattern()).toList());
    assertEquals(PromptGuard.Roles.ALL, guard.roles());
    assertEquals(PromptGuard.History.ALL, guard.messages());
    assertEquals(PromptGuard.Action.FLAG, guard.action());
    assertEquals(new PromptMatch(Set.of("chat", "gpt-4o"), Set.of("team-a")), guard.match());
  }

  @Test
  void aPatternRe2CannotCompileIsAnErrorNamingTheItemTheIndexAndRe2sReason() {
    ConfigItem item = guard("bad").with("deny", List.of("fine", "(unclosed")).build();

    ConfigError error = onlyError(item, "deny[1]", "RE2 says: missing closing )");

    assertEquals(
        "item {pk=guard#bad, sk=guard}: deny[1] = \"(unclosed\": expected an RE2 pattern (no backreferences or lookaround);"
            + " RE2 says: missing closing )",
        error.message());
    assertTrue(validate(item).config().prompts().guards().isEmpty(), "a guard with a bad pattern is left out whole");
  }

  @Test
  void perlOnlySyntaxIsRefusedWithRe2sReason() {
    onlyError(guard("g").with("allow", List.of("(?=lookahead)")).build(), "allow[0]", "RE2 says: invalid or unsupported Perl syntax");
    onlyError(guard("g").with("deny", List.of("(a)\\1")).build(), "deny[0]", "RE2 says: invalid escape sequence");
  }

  @Test
  void aGuardNeedsAPattern() {
    onlyError(guard("g").build(), "deny", "at least one pattern in allow or deny");
    onlyError(guard("g").with("deny", List.of()).with("allow", List.of()).build(), "deny", "at least one pattern");
    onlyError(guard("g").with("deny", List.of("")).build(), "deny[0]", "an RE2 pattern of 1 to 2000 characters");
    onlyError(guard("g").with("deny", "secret").build(), "deny", "a list of up to 100 RE2 patterns");
    onlyError(guard("g").with("deny", List.of(1)).build(), "deny", "a list of up to 100 RE2 patterns");
  }

  @Test
  void guardEnumsAndFiltersAreChecked() {
    ConfigItems.Builder base = guard("g").with("deny", List.of("x"));
    onlyError(base.with("roles", "assistant").build(), "roles", "one of all, user");
    onlyError(guard("g").with("deny", List.of("x")).with("messages", "first").build(), "messages", "one of all, last");
    onlyError(guard("g").with("deny", List.of("x")).with("action", "redact").build(), "action", "one of block, flag");
    onlyError(guard("g").with("deny", List.of("x")).with("models", List.of()).build(), "models", "(leave it out to match all)");
    onlyError(guard("g").with("deny", List.of("x")).with("groups", List.of("a b")).build(), "groups", "group names");
    onlyError(guard("g").with("deny", List.of("x")).with("pattern", "y").build(), "pattern",
        "no such field; allowed: action, allow, deny, description, groups, messages, models, roles");
  }

  @ParameterizedTest
  @ValueSource(strings = {"guard#", "guard#a#b", "guard#has space"})
  void aGuardNameIsLikeALimitName(String pk) {
    onlyError(ConfigItems.item(pk, "guard").with("deny", List.of("x")).build(), "pk",
        "'guard#' followed by a policy name of 1 to 64 characters");
  }

  @Test
  void theSortKeyMustSayWhatTheItemIs() {
    onlyError(ConfigItems.item("guard#g", "guards").with("deny", List.of("x")).build(), null, "sk to be 'guard'");
    onlyError(ConfigItems.item("decorator#d", "guard").with("prepend", List.of(message("system", "x"))).build(), null,
        "sk to be 'decorator'");
    onlyError(ConfigItems.item("template#t", "x").with("messages", List.of(message("user", "x"))).build(), null,
        "sk to be 'template'");
  }

  @Test
  void aDecoratorIsReadWithItsMessagesInOrder() {
    PromptDecorator decorator =
        valid(decorator("d")
            .with("prepend", List.of(message("system", "one"), message("developer", "two")))
            .with("append", List.of(message("user", "three")))
            .with("models", List.of("chat"))
            .with("description", "house style")
            .build()).decorators().get("d");

    assertEquals(List.of(new PromptMessage("system", "one"), new PromptMessage("developer", "two")), decorator.prepend());
    assertEquals(List.of(new PromptMessage("user", "three")), decorator.append());
    assertEquals(new PromptMatch(Set.of("chat"), Set.of()), decorator.match());
  }

  @Test
  void decoratorMessagesAreCheckedOneByOne() {
    onlyError(decorator("d").build(), "prepend", "at least one message in prepend or append");
    onlyError(decorator("d").with("prepend", List.of(message("tool", "x"))).build(), "prepend[0].role",
        "one of assistant, developer, system, user");
    onlyError(decorator("d").with("append", List.of(message("user", "ok"), message("user", ""))).build(), "append[1].content",
        "text of 1 to 100000 characters");
    onlyError(decorator("d").with("append", List.of(Map.of("role", "user", "content", "x", "name", "n"))).build(),
        "append[0].name", "no such field; allowed: content, role");
    onlyError(decorator("d").with("append", List.of("just text")).build(), "append[0]", "a message {role, content}");
    onlyError(decorator("d").with("append", message("user", "x")).build(), "append", "a list of up to 50 messages");
  }

  @Test
  void aTemplateIsReadWithItsVariables() {
    PromptTemplate template =
        valid(template("t")
            .with("messages", List.of(message("system", "You are {{persona}}."), message("user", "{{question}} ({{persona}})")))
            .with("groups", List.of("support"))
            .with("description", "support answers")
            .build()).templates().get("t");

    assertEquals(List.of("persona", "question"), List.copyOf(template.variables()));
    assertEquals(new PromptMatch(Set.of(), Set.of("support")), template.match());
  }

  @Test
  void aTemplateNeedsMessagesWithWellFormedPlaceholders() {
    onlyError(template("t").build(), "messages", "a non-empty list of messages");
    ConfigError error =
        onlyError(template("t").with("messages", List.of(message("user", "ok"), message("user", "Hi {{first name}}"))).build(),
            "messages[1].content", "'{{first name}}' is not a placeholder");
    assertEquals(
        "item {pk=template#t, sk=template}: messages[1].content = \"Hi {{first name}}\": expected '{{first name}}' is not a"
            + " placeholder: write {{name}}, the name of 1 to 64 letters, digits and _ not starting with a digit",
        error.message());
  }

  @Test
  void anUnknownPromptKeyIsNamedWithTheOthers() {
    onlyError(ConfigItems.item("guards#g", "guard").build(), null, "'guard#<name>', 'decorator#<name>', 'template#<name>', 'filter#<name>', 'guardrail#<name>', 'rule#<name>', 'rag#<name>' or 'cache#<name>'");
  }

  @Test
  void oneBadPolicyDoesNotTakeTheOthersWithIt() {
    ValidatedConfig validated =
        validate(
            guard("good").with("deny", List.of("x")).build(),
            guard("bad").with("deny", List.of("(")).build(),
            template("t").with("messages", List.of(message("user", "x"))).build());

    assertEquals(1, validated.errors().size());
    assertEquals(Set.of("good"), validated.config().prompts().guards().keySet());
    assertEquals(Set.of("t"), validated.config().prompts().templates().keySet());
  }
}
