package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The human-edited config document (YAML or JSON) and the table items it stands for, both ways.
 *
 * <pre>
 * settings: {maxAttempts: 3}
 * models:
 *   ALIAS:
 *     maxAttempts: 2            # optional route options
 *     targets:
 *       - {id: ..., provider: ..., model: ..., weight: 60, priority: 1, ...}
 * keys:
 *   - {sha256: ..., consumer: ..., group: ..., models: ["*"]}
 * limits:
 *   NAME: {metric: totalTokens, limit: 100000, window: 1m, scope: [consumer], ...}
 * prices:
 *   MODEL: {inputPerMillion: 2.5, outputPerMillion: 10, cachedInputPerMillion: 1.25}
 * guards:
 *   NAME: {deny: ["(?i)ignore (all )?previous instructions"], roles: user, messages: last, action: block}
 * decorators:
 *   NAME: {prepend: [{role: system, content: ...}], append: [...], models: [...], groups: [...]}
 * templates:
 *   NAME: {messages: [{role: user, content: "Summarise {{text}}"}], models: [...], groups: [...]}
 * filters:
 *   NAME: {pii: [email, card], deny: [...], custom: [{name: ..., pattern: ...}], action: redact, on: response}
 * guardrails:
 *   NAME: {guardrailId: ..., guardrailVersion: "1", input: true, output: true, disableAfterFlags: 5, ...}
 * rules:
 *   NAME: {order: 10, to: ALIAS, models: [auto], groups: [...], hasCode: true, minPromptTokens: 8000, ...}
 * rag:
 *   NAME: {kb: handbook, models: [...], groups: [...], topK: 4, minScore: 0.3, inject: system, onError: answer, ...}
 * caches:
 *   NAME: {mode: exact, ttlSeconds: 3600, scope: consumer, models: [...], groups: [...]}
 * </pre>
 *
 * Structural mistakes are reported here; field values are checked by {@link ConfigValidator}.
 */
public final class ConfigDocument {

  private static final Set<String> TOP_LEVEL =
      Set.of("settings", "models", "keys", "limits", "prices", "guards", "decorators", "templates", "filters", "guardrails",
          "rules", "rag", "caches");
  private static final String SECTIONS =
      "settings, models, keys, limits, prices, guards, decorators, templates, filters, guardrails, rules, rag, caches";
  /** Export writes fields in this order, the rest alphabetically: DynamoDB keeps no order. */
  private static final List<String> FIELD_ORDER =
      List.of("id", "sha256", "description", "provider", "model", "baseUrl", "credential", "weight", "priority",
          "timeoutMs", "enabled", "consumer", "group", "models");
  /** Limit policies read best as what, how much, per what, for whom, then how. */
  private static final List<String> LIMIT_FIELD_ORDER =
      List.of("description", "metric", "limit", "window", "windowKind", "scope", "models", "targets", "groups",
          "consumers", "mode", "onStoreFailure", "defaultMaxTokens", "clampMaxTokens");
  /** A price reads as input, output, then the cache discount on input. */
  private static final List<String> PRICE_FIELD_ORDER =
      List.of("description", "inputPerMillion", "outputPerMillion", "cachedInputPerMillion");
  /** Prompt policies read as what they do, then to whom. */
  private static final List<String> PROMPT_FIELD_ORDER =
      List.of("description", "allow", "deny", "roles", "messages", "action", "prepend", "append", "models", "groups");
  /** A filter reads as what it looks for, what it does, where, then for whom. */
  private static final List<String> FILTER_FIELD_ORDER =
      List.of("description", "pii", "deny", "custom", "action", "on", "models", "groups", "maxMatchChars");
  /** A guardrail reads as which guardrail, what it checks, then what happens on errors and flags. */
  private static final List<String> GUARDRAIL_FIELD_ORDER =
      List.of("description", "guardrailId", "guardrailVersion", "input", "output", "onError", "disableAfterFlags",
          "flagWindow", "models", "groups");
  /** A routing rule reads as when it is tried, where it sends, then what it matches. */
  private static final List<String> RULE_FIELD_ORDER =
      List.of("description", "order", "to", "models", "groups", "headers", "metadata", "pattern", "keywords",
          "minPromptTokens", "hasCode", "hasImages", "hasTools");
  /** A retrieval policy reads as which knowledge base, for whom, how much, then where it goes and what failure does. */
  private static final List<String> RAG_FIELD_ORDER =
      List.of("description", "order", "kb", "models", "groups", "topK", "minScore", "filter", "maxContextChars", "inject",
          "onError", "optional", "onRequest");
  /** A cache policy reads as how it caches, for how long and for whom, then which requests. */
  private static final List<String> CACHE_FIELD_ORDER =
      List.of("description", "mode", "ttlSeconds", "scope", "deterministicOnly", "similarity", "maxEntryBytes",
          "countHits", "models", "groups");

  private ConfigDocument() {}

  /** The items of a document; structural errors go to {@code errors}. */
  public static List<ConfigItem> toItems(JsonNode root, List<ConfigError> errors) {
    List<ConfigItem> items = new ArrayList<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return items;
    }
    if (!root.isObject()) {
      errors.add(new ConfigError("(document)", null, null, "a mapping with the sections " + SECTIONS));
      return items;
    }
    root.fieldNames()
        .forEachRemaining(
            name -> {
              if (!TOP_LEVEL.contains(name)) {
                errors.add(new ConfigError(name, null, null, "one of the sections " + SECTIONS));
              }
            });
    JsonNode settings = root.get("settings");
    if (settings != null && !settings.isNull()) {
      if (settings.isObject()) {
        items.add(new ConfigItem(ItemKeys.SETTINGS_PK, ItemKeys.SETTINGS_SK, (ObjectNode) settings.deepCopy(), "settings"));
      } else {
        errors.add(new ConfigError("settings", null, null, "a mapping of setting names to values"));
      }
    }
    readModels(root.get("models"), items, errors);
    readKeys(root.get("keys"), items, errors);
    readLimits(root.get("limits"), items, errors);
    readPrices(root.get("prices"), items, errors);
    readPrompts(root, items, errors);
    readNamed(root.get("filters"), "filters", "filter name to its fields", ItemKeys::filterPk, ItemKeys.FILTER_SK,
        "a mapping with deny, pii or custom and optional action, on, models, groups", items, errors);
    readNamed(root.get("guardrails"), "guardrails", "guardrail name to its fields", ItemKeys::guardrailPk,
        ItemKeys.GUARDRAIL_SK, "a mapping with guardrailId, guardrailVersion, input and/or output", items, errors);
    readNamed(root.get("rules"), "rules", "rule name to its fields", ItemKeys::rulePk, ItemKeys.RULE_SK,
        "a mapping with to, optional order and match conditions", items, errors);
    readNamed(root.get("rag"), "rag", "retrieval policy name to its fields", ItemKeys::ragPk, ItemKeys.RAG_SK,
        "a mapping with kb and optional models, groups, topK, minScore, inject, onError, ...", items, errors);
    readNamed(root.get("caches"), "caches", "cache policy name to its fields", ItemKeys::cachePk, ItemKeys.CACHE_SK,
        "a mapping with mode and optional ttlSeconds, scope, models, groups", items, errors);
    return items;
  }

  private static void readPrices(JsonNode prices, List<ConfigItem> items, List<ConfigError> errors) {
    readNamed(prices, "prices", "model name to its prices", ItemKeys::pricePk, ItemKeys.PRICE_SK,
        "a mapping with inputPerMillion, outputPerMillion and optional cachedInputPerMillion", items, errors);
  }

  private static void readLimits(JsonNode limits, List<ConfigItem> items, List<ConfigError> errors) {
    readNamed(limits, "limits", "policy name to its fields", ItemKeys::limitPk, ItemKeys.LIMIT_SK,
        "a mapping with metric, limit, window and optional scope and filters", items, errors);
  }

  private static void readPrompts(JsonNode root, List<ConfigItem> items, List<ConfigError> errors) {
    readNamed(root.get("guards"), "guards", "guard name to its patterns", ItemKeys::guardPk, ItemKeys.GUARD_SK,
        "a mapping with allow and/or deny patterns and optional roles, messages, action, models, groups", items, errors);
    readNamed(root.get("decorators"), "decorators", "decorator name to its messages", ItemKeys::decoratorPk,
        ItemKeys.DECORATOR_SK, "a mapping with prepend and/or append messages and optional models, groups", items, errors);
    readNamed(root.get("templates"), "templates", "template name to its messages", ItemKeys::templatePk,
        ItemKeys.TEMPLATE_SK, "a mapping with messages and optional description, models, groups", items, errors);
  }

  /** A section mapping names to one item each ({@code pk} from the name, a fixed {@code sk}); fields are checked later. */
  private static void readNamed(
      JsonNode section,
      String name,
      String mapping,
      java.util.function.Function<String, String> pkOf,
      String sk,
      String entryExpected,
      List<ConfigItem> items,
      List<ConfigError> errors) {
    if (section == null || section.isNull()) {
      return;
    }
    if (!section.isObject()) {
      errors.add(new ConfigError(name, null, null, "a mapping of " + mapping));
      return;
    }
    section.properties().forEach(entry -> {
      String at = name + "." + entry.getKey();
      if (entry.getValue().isObject()) {
        items.add(new ConfigItem(pkOf.apply(entry.getKey()), sk, entry.getValue().deepCopy(), at));
      } else {
        errors.add(new ConfigError(at, null, null, entryExpected));
      }
    });
  }

  private static void readModels(JsonNode models, List<ConfigItem> items, List<ConfigError> errors) {
    if (models == null || models.isNull()) {
      return;
    }
    if (!models.isObject()) {
      errors.add(new ConfigError("models", null, null, "a mapping of model alias to its targets"));
      return;
    }
    models.properties().forEach(entry -> readModel(entry.getKey(), entry.getValue(), items, errors));
  }

  private static void readModel(String alias, JsonNode model, List<ConfigItem> items, List<ConfigError> errors) {
    String at = "models." + alias;
    if (!model.isObject()) {
      errors.add(new ConfigError(at, null, null, "a mapping with 'targets' and optional route options"));
      return;
    }
    ObjectNode options = model.deepCopy();
    JsonNode targets = options.remove("targets");
    items.add(new ConfigItem(ItemKeys.routePk(alias), ItemKeys.ROUTE_SK, options, at));
    if (targets == null || !targets.isArray() || targets.isEmpty()) {
      errors.add(new ConfigError(at, "targets", targets == null ? null : targets.toString(), "a non-empty list of targets"));
      return;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      String location = at + ".targets[" + i + "]";
      JsonNode target = targets.get(i);
      if (!target.isObject() || !target.path("id").isTextual()) {
        errors.add(new ConfigError(location, "id", target.has("id") ? target.get("id").toString() : null, "a target id (letters, digits, . _ -)"));
        continue;
      }
      ObjectNode attributes = target.deepCopy();
      String id = attributes.remove("id").asText();
      if (!ids.add(id)) {
        errors.add(new ConfigError(location, "id", '"' + id + '"', "an id not used by another target of " + alias));
        continue;
      }
      items.add(new ConfigItem(ItemKeys.routePk(alias), ItemKeys.targetSk(id), attributes, location));
    }
  }

  private static void readKeys(JsonNode keys, List<ConfigItem> items, List<ConfigError> errors) {
    if (keys == null || keys.isNull()) {
      return;
    }
    if (!keys.isArray()) {
      errors.add(new ConfigError("keys", null, null, "a list of API key entries"));
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      String location = "keys[" + i + "]";
      JsonNode key = keys.get(i);
      if (!key.isObject() || !key.path("sha256").isTextual()) {
        errors.add(new ConfigError(location, "sha256", null,
            "the SHA-256 of the key as 64 lowercase hex digits (keys are never stored in clear)"));
        continue;
      }
      ObjectNode attributes = key.deepCopy();
      String hash = attributes.remove("sha256").asText();
      items.add(new ConfigItem(ItemKeys.keyPk(hash), ItemKeys.KEY_SK, attributes, location));
    }
  }

  /** The document for a set of items, for {@code tollgate config export}. */
  public static ObjectNode fromItems(List<ConfigItem> items) {
    ObjectNode root = Json.object();
    Map<String, ObjectNode> models = new TreeMap<>();
    ArrayNode keys = Json.array();
    Map<String, ObjectNode> limits = new TreeMap<>();
    Map<String, ObjectNode> prices = new TreeMap<>();
    Map<String, Map<String, ObjectNode>> prompts = new java.util.LinkedHashMap<>();
    List.of("guards", "decorators", "templates").forEach(section -> prompts.put(section, new TreeMap<>()));
    Map<String, ObjectNode> filters = new TreeMap<>();
    Map<String, ObjectNode> guardrails = new TreeMap<>();
    Map<String, ObjectNode> rules = new TreeMap<>();
    Map<String, ObjectNode> rag = new TreeMap<>();
    Map<String, ObjectNode> caches = new TreeMap<>();
    for (ConfigItem item : items) {
      if (item.pk().equals(ItemKeys.SETTINGS_PK)) {
        root.set("settings", ordered(Json.object(), item.attributes()));
      } else if (item.pk().startsWith(ItemKeys.ROUTE_PREFIX)) {
        String alias = item.pk().substring(ItemKeys.ROUTE_PREFIX.length());
        ObjectNode model = models.computeIfAbsent(alias, a -> Json.object());
        if (item.sk().equals(ItemKeys.ROUTE_SK)) {
          ordered(model, item.attributes());
        } else if (item.sk().startsWith(ItemKeys.TARGET_PREFIX)) {
          ObjectNode target = Json.object();
          target.put("id", item.sk().substring(ItemKeys.TARGET_PREFIX.length()));
          model.withArray("targets").add(ordered(target, item.attributes()));
        }
      } else if (item.pk().startsWith(ItemKeys.KEY_PREFIX)) {
        ObjectNode key = Json.object();
        key.put("sha256", item.pk().substring(ItemKeys.KEY_PREFIX.length()));
        keys.add(ordered(key, item.attributes()));
      } else if (item.pk().startsWith(ItemKeys.LIMIT_PREFIX)) {
        String name = item.pk().substring(ItemKeys.LIMIT_PREFIX.length());
        limits.put(name, ordered(Json.object(), item.attributes(), LIMIT_FIELD_ORDER));
      } else if (item.pk().startsWith(ItemKeys.PRICE_PREFIX)) {
        String model = item.pk().substring(ItemKeys.PRICE_PREFIX.length());
        prices.put(model, ordered(Json.object(), item.attributes(), PRICE_FIELD_ORDER));
      } else if (promptSection(item.pk()) != null) {
        String section = promptSection(item.pk());
        String name = item.pk().substring(item.pk().indexOf('#') + 1);
        prompts.get(section).put(name, ordered(Json.object(), item.attributes(), PROMPT_FIELD_ORDER));
      } else if (item.pk().startsWith(ItemKeys.FILTER_PREFIX)) {
        String name = item.pk().substring(ItemKeys.FILTER_PREFIX.length());
        filters.put(name, ordered(Json.object(), item.attributes(), FILTER_FIELD_ORDER));
      } else if (item.pk().startsWith(ItemKeys.GUARDRAIL_PREFIX)) {
        String name = item.pk().substring(ItemKeys.GUARDRAIL_PREFIX.length());
        guardrails.put(name, ordered(Json.object(), item.attributes(), GUARDRAIL_FIELD_ORDER));
      } else if (item.pk().startsWith(ItemKeys.RULE_PREFIX)) {
        String name = item.pk().substring(ItemKeys.RULE_PREFIX.length());
        rules.put(name, ordered(Json.object(), item.attributes(), RULE_FIELD_ORDER));
      } else if (item.pk().startsWith(ItemKeys.RAG_PREFIX)) {
        String name = item.pk().substring(ItemKeys.RAG_PREFIX.length());
        rag.put(name, ordered(Json.object(), item.attributes(), RAG_FIELD_ORDER));
      } else if (item.pk().startsWith(ItemKeys.CACHE_PREFIX)) {
        String name = item.pk().substring(ItemKeys.CACHE_PREFIX.length());
        caches.put(name, ordered(Json.object(), item.attributes(), CACHE_FIELD_ORDER));
      }
    }
    if (!models.isEmpty()) {
      ObjectNode section = root.putObject("models");
      models.forEach((alias, model) -> {
        JsonNode targets = model.remove("targets");
        if (targets != null) {
          model.set("targets", targets); // options first, targets last, as people write it
        }
        section.set(alias, model);
      });
    }
    if (!keys.isEmpty()) {
      root.set("keys", keys);
    }
    if (!limits.isEmpty()) {
      ObjectNode section = root.putObject("limits");
      limits.forEach(section::set);
    }
    if (!prices.isEmpty()) {
      ObjectNode section = root.putObject("prices");
      prices.forEach(section::set);
    }
    prompts.forEach((name, policies) -> {
      if (!policies.isEmpty()) {
        ObjectNode section = root.putObject(name);
        policies.forEach(section::set);
      }
    });
    if (!filters.isEmpty()) {
      ObjectNode section = root.putObject("filters");
      filters.forEach(section::set);
    }
    if (!guardrails.isEmpty()) {
      ObjectNode section = root.putObject("guardrails");
      guardrails.forEach(section::set);
    }
    if (!rules.isEmpty()) {
      ObjectNode section = root.putObject("rules");
      rules.forEach(section::set);
    }
    if (!rag.isEmpty()) {
      ObjectNode section = root.putObject("rag");
      rag.forEach(section::set);
    }
    if (!caches.isEmpty()) {
      ObjectNode section = root.putObject("caches");
      caches.forEach(section::set);
    }
    return root;
  }

  /** The document section of a prompt policy item's key, or null. */
  private static String promptSection(String pk) {
    if (pk.startsWith(ItemKeys.GUARD_PREFIX)) {
      return "guards";
    }
    if (pk.startsWith(ItemKeys.DECORATOR_PREFIX)) {
      return "decorators";
    }
    return pk.startsWith(ItemKeys.TEMPLATE_PREFIX) ? "templates" : null;
  }

  private static ObjectNode ordered(ObjectNode into, ObjectNode attributes) {
    return ordered(into, attributes, FIELD_ORDER);
  }

  private static ObjectNode ordered(ObjectNode into, ObjectNode attributes, List<String> order) {
    for (String name : order) {
      if (attributes.has(name)) {
        into.set(name, attributes.get(name).deepCopy());
      }
    }
    toMap(attributes).forEach((name, value) -> {
      if (!order.contains(name)) {
        into.set(name, value.deepCopy());
      }
    });
    return into;
  }

  private static Map<String, JsonNode> toMap(ObjectNode node) {
    Map<String, JsonNode> map = new TreeMap<>();
    node.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue()));
    return map;
  }
}
