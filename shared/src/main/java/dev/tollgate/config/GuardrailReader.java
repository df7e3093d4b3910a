package dev.tollgate.config;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.tollgate.moderation.GuardrailRule;
import dev.tollgate.moderation.GuardrailRule.OnError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks one guardrail item ({@code pk = guardrail#NAME}, {@code sk = guardrail}): a
 * Bedrock guardrail that checks prompts ({@code input}) and moderates answers ({@code output}).
 */
final class GuardrailReader {

  static final String NAME_EXPECTED = "'guardrail#' followed by a name of 1 to 64 characters: letters, digits and . _ -";
  /** Bedrock's own patterns for a guardrail identifier (an id or its ARN) and version. */
  static final Pattern GUARDRAIL_ID =
      Pattern.compile("[a-z0-9]{1,64}|arn:aws(-[a-z-]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]{1,64}");
  static final String ID_EXPECTED = "a Bedrock guardrail id (lowercase letters and digits, e.g. gr1a2b3c4d5e) or its ARN";
  static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,7}|DRAFT");
  static final String VERSION_EXPECTED = "a guardrail version: a number like 1, or DRAFT";
  static final int MAX_FLAGS = 1_000_000;
  private static final Map<String, OnError> ON_ERROR = Map.of("failOpen", OnError.FAIL_OPEN, "failClosed", OnError.FAIL_CLOSED);
  private static final Set<String> FIELDS =
      Set.of("guardrailId", "guardrailVersion", "input", "output", "onError", "disableAfterFlags", "flagWindow", "models",
          "groups", "description");

  private GuardrailReader() {}

  static Optional<GuardrailRule> read(ConfigItem item, ItemReader reader) {
    String name = item.pk().substring(ItemKeys.GUARDRAIL_PREFIX.length());
    if (!GuardrailRule.NAME.matcher(name).matches()) {
      reader.failText("pk", item.pk(), NAME_EXPECTED);
    }
    if (!item.sk().equals(ItemKeys.GUARDRAIL_SK)) {
      reader.failItem("sk to be 'guardrail' for a guardrail item");
    }
    reader.rejectUnknown(FIELDS);
    String id = reader.requiredString("guardrailId", GUARDRAIL_ID, ID_EXPECTED);
    String version = readVersion(item, reader);
    boolean input = reader.bool("input", false);
    boolean output = reader.bool("output", false);
    if (!input && !output && reader.ok()) {
      reader.fail("input", BooleanNode.FALSE,
          "input: true (check prompts) and/or output: true (moderate answers); a guardrail doing neither does nothing");
    }
    OnError onError = OnError.FAIL_CLOSED;
    Optional<String> onErrorText = reader.optionalString("onError", Pattern.compile("(?s).*"), "failClosed or failOpen");
    if (onErrorText.isPresent()) {
      onError = ON_ERROR.get(onErrorText.get());
      if (onError == null) {
        reader.failText("onError", onErrorText.get(), "failClosed (refuse with 503 when the guardrail cannot be asked) or failOpen (let the request pass)");
        onError = OnError.FAIL_CLOSED;
      }
    }
    int disableAfterFlags = (int) reader.integer("disableAfterFlags", 0, 1, MAX_FLAGS);
    if (disableAfterFlags > 0 && !output) {
      reader.fail("disableAfterFlags", com.fasterxml.jackson.databind.node.IntNode.valueOf(disableAfterFlags),
          "to be left out unless output is true (only moderated answers are flagged)");
    }
    Duration window = GuardrailRule.DEFAULT_FLAG_WINDOW;
    Optional<String> windowText = reader.optionalString("flagWindow", Pattern.compile("(?s).*"), LimitReader.WINDOW_EXPECTED);
    if (windowText.isPresent()) {
      Optional<Duration> length = LimitReader.windowLength(windowText.get());
      if (length.isEmpty()) {
        reader.failText("flagWindow", windowText.get(), LimitReader.WINDOW_EXPECTED);
      } else {
        window = length.get();
      }
    }
    List<String> models = optionalList(reader, "models", ConfigValidator.ALIAS, ConfigValidator.ALIAS_EXPECTED);
    List<String> groups = optionalList(reader, "groups", ConfigValidator.NAME, "group names of " + ConfigValidator.NAME_EXPECTED);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(
        new GuardrailRule(name, id, version, input, output, onError, disableAfterFlags, window, Set.copyOf(models),
            Set.copyOf(groups)));
  }

  /** YAML reads {@code guardrailVersion: 1} as a number: take a whole number as its digits. */
  private static String readVersion(ConfigItem item, ItemReader reader) {
    com.fasterxml.jackson.databind.JsonNode value = item.attributes().get("guardrailVersion");
    if (value != null && value.isIntegralNumber() && VERSION.matcher(value.asText()).matches()) {
      return value.asText();
    }
    return reader.requiredString("guardrailVersion", VERSION, VERSION_EXPECTED);
  }

  private static List<String> optionalList(ItemReader reader, String field, Pattern pattern, String expected) {
    return reader.has(field) ? reader.stringList(field, pattern, expected + " (leave it out to match all)") : List.of();
  }
}
