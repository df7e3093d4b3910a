package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.prompt.PromptDecorator;
import dev.tollgate.prompt.PromptGuard;
import dev.tollgate.prompt.PromptMatch;
import dev.tollgate.prompt.PromptMessage;
import dev.tollgate.prompt.PromptPolicies;
import dev.tollgate.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the prompt policy items — guards ({@code guard#NAME}), decorators ({@code decorator#NAME})
 * and templates ({@code template#NAME}) — into {@link PromptPolicies}, with the parts they share:
 * the name in the key, the {@code models} and {@code groups} filters, and lists of messages.
 */
final class PromptReaders {

  static final String NAME_EXPECTED = "a policy name of 1 to 64 characters: letters, digits and . _ -";
  static final int MAX_MESSAGES = 50;
  static final int MAX_CONTENT = 100_000;
  private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");
  private static final String ROLES_EXPECTED = "one of " + String.join(", ", new TreeSet<>(PromptMessage.ROLES));

  /** The valid policies of a set of items, collected as they are read. */
  static final class Collected {
    private final List<PromptGuard> guards = new ArrayList<>();
    private final List<PromptDecorator> decorators = new ArrayList<>();
    private final List<PromptTemplate> templates = new ArrayList<>();

    PromptPolicies build() {
      return PromptPolicies.of(guards, decorators, templates);
    }
  }

  private PromptReaders() {}

  /** Whether {@code pk} is a prompt policy's key. */
  static boolean handles(String pk) {
    return pk.startsWith(ItemKeys.GUARD_PREFIX) || pk.startsWith(ItemKeys.DECORATOR_PREFIX)
        || pk.startsWith(ItemKeys.TEMPLATE_PREFIX);
  }

  /** Reads one prompt policy item into {@code into}; errors stay on {@code reader}. */
  static void read(ConfigItem item, ItemReader reader, Collected into) {
    String pk = item.pk();
    if (pk.startsWith(ItemKeys.GUARD_PREFIX)) {
      GuardReader.read(item, reader).ifPresent(into.guards::add);
    } else if (pk.startsWith(ItemKeys.DECORATOR_PREFIX)) {
      DecoratorReader.read(item, reader).ifPresent(into.decorators::add);
    } else {
      TemplateReader.read(item, reader).ifPresent(into.templates::add);
    }
  }

  /** The policy name after {@code prefix} in the item's pk, checked along with its sk. */
  static String name(ConfigItem item, ItemReader reader, String prefix, String sk, String what) {
    String name = item.pk().substring(prefix.length());
    if (!PromptPolicies.NAME.matcher(name).matches()) {
      reader.failText("pk", item.pk(), "'" + prefix + "' followed by " + NAME_EXPECTED);
    }
    if (!item.sk().equals(sk)) {
      reader.failItem("sk to be '" + sk + "' for " + what + " item");
    }
    return name;
  }

  /** The optional {@code models} and {@code groups} filters: empty means every alias, every group. */
  static PromptMatch match(ItemReader reader) {
    return new PromptMatch(
        Set.copyOf(optionalList(reader, "models", ConfigValidator.ALIAS, ConfigValidator.ALIAS_EXPECTED)),
        Set.copyOf(optionalList(reader, "groups", ConfigValidator.NAME, "group names of " + ConfigValidator.NAME_EXPECTED)));
  }

  private static List<String> optionalList(ItemReader reader, String field, Pattern pattern, String expected) {
    return reader.has(field) ? reader.stringList(field, pattern, expected + " (leave it out to match all)") : List.of();
  }

  /**
   * An optional list (absent: empty) of up to {@link #MAX_MESSAGES} messages {@code {role,
   * content}}, each turned into a {@code T} by {@code build}, whose {@link IllegalArgumentException}
   * becomes an error on that message's content; empty when any message is wrong.
   */
  static <T> Optional<List<T>> messages(ItemReader reader, String field, BiFunction<String, String, T> build) {
    JsonNode list = reader.value(field);
    if (list == null) {
      return Optional.of(List.of());
    }
    if (!list.isArray() || list.size() > MAX_MESSAGES) {
      reader.fail(field, list, "a list of up to " + MAX_MESSAGES + " messages {role, content}");
      return Optional.empty();
    }
    List<T> messages = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      Optional<T> message = message(reader, field + "[" + i + "]", list.get(i), build);
      ok &= message.isPresent();
      message.ifPresent(messages::add);
    }
    return ok ? Optional.of(messages) : Optional.empty();
  }

  private static <T> Optional<T> message(
      ItemReader reader, String at, JsonNode message, BiFunction<String, String, T> build) {
    if (!message.isObject()) {
      reader.fail(at, message, "a message {role, content}");
      return Optional.empty();
    }
    boolean ok = true;
    for (String name : fieldNames(message)) {
      if (!MESSAGE_FIELDS.contains(name)) {
        reader.fail(at + "." + name, message.get(name), "no such field; allowed: content, role");
        ok = false;
      }
    }
    JsonNode role = message.get("role");
    if (role == null || !role.isTextual() || !PromptMessage.ROLES.contains(role.asText())) {
      reader.fail(at + ".role", role, ROLES_EXPECTED);
      ok = false;
    }
    JsonNode content = message.get("content");
    if (content == null || !content.isTextual() || content.asText().isEmpty() || content.asText().length() > MAX_CONTENT) {
      reader.fail(at + ".content", content, "text of 1 to " + MAX_CONTENT + " characters");
      ok = false;
    }
    if (!ok) {
      return Optional.empty();
    }
    try {
      return Optional.of(build.apply(role.asText(), content.asText()));
    } catch (IllegalArgumentException e) {
      reader.fail(at + ".content", content, e.getMessage());
      return Optional.empty();
    }
  }

  private static TreeSet<String> fieldNames(JsonNode node) {
    TreeSet<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
