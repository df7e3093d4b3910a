package dev.tollgate.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.auth.Consumer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What the cache needs to know of one chat request under the policy that covers it: its keys,
 * its last user message (for the semantic lookup), and what the client allowed.
 */
record CacheRequest(
    CacheRule rule, String exactKey, String semanticKey, String lastUserText, boolean noCache, boolean noStore) {

  /** @param context the retrieved chunks the prompt carries ("" without retrieval): answers are shared only among equals */
  static CacheRequest of(
      CacheRule rule,
      ObjectNode body,
      String alias,
      Consumer consumer,
      String lastUserText,
      Optional<String> cacheControl,
      String context) {
    String scope = scope(rule.scope(), consumer) + (context.isEmpty() ? "" : "\ncontext:" + context);
    boolean semantic = rule.mode() == CacheRule.Mode.SEMANTIC;
    String directives = cacheControl.orElse("").toLowerCase(Locale.ROOT);
    boolean noStore = has(directives, "no-store");
    return new CacheRequest(
        rule,
        CacheKeys.exact(body, alias, scope),
        semantic ? CacheKeys.semantic(body, alias, scope) : null,
        lastUserText,
        noStore || has(directives, "no-cache"),
        noStore);
  }

  boolean semantic() {
    return semanticKey != null && !lastUserText.isBlank();
  }

  /** The value that keeps scopes apart inside the key: a consumer's name, a group's, or nothing. */
  static String scope(CacheRule.Scope scope, Consumer consumer) {
    return switch (scope) {
      case CONSUMER -> "consumer:" + consumer.name();
      case GROUP -> "group:" + consumer.group();
      case GLOBAL -> "global";
    };
  }

  /** Temperature 0 or a seed: the only requests whose answer is meant to repeat. */
  static boolean deterministic(ObjectNode body) {
    JsonNode seed = body.get("seed");
    if (seed != null && !seed.isNull()) {
      return true;
    }
    JsonNode temperature = body.get("temperature");
    return temperature != null && temperature.isNumber() && temperature.doubleValue() == 0;
  }

  private static boolean has(String directives, String directive) {
    return Arrays.stream(directives.split(",")).map(String::trim).anyMatch(directive::equals);
  }
}
