package dev.tollgate.prompt;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.TollgateExtension;
import java.util.List;

/**
 * The errors prompt policies answer with, in OpenAI's shape with stable codes. A guard's error
 * names the policy and never the text or the pattern that matched, so a caller cannot probe the rules.
 */
final class PromptErrors {

  static final String PROMPT_BLOCKED = "prompt_blocked";
  static final String TEMPLATE_NOT_FOUND = "template_not_found";
  static final String TEMPLATE_NOT_ALLOWED = "template_not_allowed";
  static final String TEMPLATE_VARIABLES_MISSING = "template_variables_missing";
  private static final String TEMPLATE_PARAM = TollgateExtension.FIELD + ".template";
  private static final String VARIABLES_PARAM = TollgateExtension.FIELD + ".variables";

  private PromptErrors() {}

  static ApiError blocked(PromptGuard guard) {
    return new ApiError(
        400,
        "The request was blocked by the prompt policy '" + guard.name() + "'.",
        ApiError.INVALID_REQUEST,
        "messages",
        PROMPT_BLOCKED,
        0);
  }

  static ApiError templateNotFound(String name) {
    return new ApiError(
        400,
        "The template '" + shown(name) + "' does not exist.",
        ApiError.INVALID_REQUEST,
        TEMPLATE_PARAM,
        TEMPLATE_NOT_FOUND,
        0);
  }

  /** 403, like a model the key may not use: the template exists, but not for this caller or model. */
  static ApiError notForGroup(PromptTemplate template) {
    return new ApiError(
        403,
        "This API key's group may not use the template '" + template.name() + "'.",
        ApiError.PERMISSION,
        TEMPLATE_PARAM,
        TEMPLATE_NOT_ALLOWED,
        0);
  }

  static ApiError notForModel(PromptTemplate template, String alias) {
    return new ApiError(
        403,
        "The template '" + template.name() + "' may not be used with the model '" + alias + "'; it is for "
            + String.join(", ", template.match().models().stream().sorted().toList()) + ".",
        ApiError.PERMISSION,
        TEMPLATE_PARAM,
        TEMPLATE_NOT_ALLOWED,
        0);
  }

  static ApiError variablesMissing(PromptTemplate template, List<String> missing) {
    return new ApiError(
        400,
        "The template '" + template.name() + "' needs " + (missing.size() == 1 ? "a variable" : "variables")
            + " the request does not give in '" + VARIABLES_PARAM + "': " + String.join(", ", missing) + ".",
        ApiError.INVALID_REQUEST,
        VARIABLES_PARAM,
        TEMPLATE_VARIABLES_MISSING,
        0);
  }

  private static String shown(String name) {
    return name.length() > 64 ? name.substring(0, 61) + "..." : name;
  }
}
