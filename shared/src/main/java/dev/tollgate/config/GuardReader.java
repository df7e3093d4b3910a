package dev.tollgate.config;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.prompt.PromptGuard;
import dev.tollgate.prompt.PromptGuard.Action;
import dev.tollgate.prompt.PromptGuard.History;
import dev.tollgate.prompt.PromptGuard.Roles;
import dev.tollgate.prompt.PromptMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks one prompt guard item ({@code pk = guard#NAME}, {@code sk = guard}). Its
 * patterns are compiled here, once per config load, never per request; a pattern RE2 cannot compile
 * is an error naming the list, the index and RE2's reason.
 */
final class GuardReader {

  static final int MAX_PATTERNS = 100;
  static final int MAX_PATTERN_LENGTH = 2_000;
  private static final Set<String> FIELDS =
      Set.of("allow", "deny", "roles", "messages", "action", "models", "groups", "description");
  private static final Map<String, Roles> ROLES = Map.of("user", Roles.USER, "all", Roles.ALL);
  private static final Map<String, History> HISTORY = Map.of("last", History.LAST, "all", History.ALL);
  private static final Map<String, Action> ACTIONS = Map.of("block", Action.BLOCK, "flag", Action.FLAG);

  private GuardReader() {}

  static Optional<PromptGuard> read(ConfigItem item, ItemReader reader) {
    String name = PromptReaders.name(item, reader, ItemKeys.GUARD_PREFIX, ItemKeys.GUARD_SK, "a prompt guard");
    reader.rejectUnknown(FIELDS);
    Optional<List<Pattern>> allow = patterns(reader, "allow");
    Optional<List<Pattern>> deny = patterns(reader, "deny");
    if (allow.map(List::isEmpty).orElse(false) && deny.map(List::isEmpty).orElse(false)) {
      reader.fail("deny", reader.value("deny"), "at least one pattern in allow or deny (a guard with neither checks nothing)");
    }
    Roles roles = LimitReader.oneOf(reader, "roles", ROLES, Roles.USER);
    History messages = LimitReader.oneOf(reader, "messages", HISTORY, History.LAST);
    Action action = LimitReader.oneOf(reader, "action", ACTIONS, Action.BLOCK);
    PromptMatch match = PromptReaders.match(reader);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(new PromptGuard(name, allow.orElseThrow(), deny.orElseThrow(), roles, messages, action, match));
  }

  /** The compiled patterns of an optional list (absent: none); every bad entry is reported with its index. */
  private static Optional<List<Pattern>> patterns(ItemReader reader, String field) {
    String expected = "a list of up to " + MAX_PATTERNS + " RE2 patterns (strings)";
    Optional<List<String>> read = reader.textList(field, expected);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    List<String> sources = read.get();
    if (sources.size() > MAX_PATTERNS) {
      reader.fail(field, reader.value(field), expected);
      return Optional.empty();
    }
    List<Pattern> compiled = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      String source = sources.get(i);
      String at = field + "[" + i + "]";
      if (source.isEmpty() || source.length() > MAX_PATTERN_LENGTH) {
        reader.failText(at, source, "an RE2 pattern of 1 to " + MAX_PATTERN_LENGTH + " characters");
        continue;
      }
      try {
        compiled.add(Pattern.compile(source));
      } catch (PatternSyntaxException e) {
        reader.failText(at, source, "an RE2 pattern (no backreferences or lookaround); RE2 says: " + e.getDescription());
      }
    }
    return compiled.size() == sources.size() ? Optional.of(compiled) : Optional.empty();
  }
}
