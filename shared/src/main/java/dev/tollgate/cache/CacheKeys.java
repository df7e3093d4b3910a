package dev.tollgate.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.api.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The cache keys of a chat request: SHA-256 over the scope and the request as it would reach the
 * upstream, in a canonical form (keys sorted, numbers normalised so 0 and 0.0 agree), with the
 * fields that cannot change the answer taken out. Anything else, known or not, is part of the key:
 * an unknown parameter may only cost a hit, never serve a wrong answer.
 */
public final class CacheKeys {

  /** Transport and bookkeeping fields: how the answer travels or is tagged, not what it says. */
  static final Set<String> IGNORED = Set.of("stream", "stream_options", "user", "metadata", "store");
  static final String EXACT_PREFIX = "exact#";
  static final String SEMANTIC_PREFIX = "semantic#";

  private CacheKeys() {}

  /** The exact key: the whole normalised request, for the alias it was routed to, in {@code scope}. */
  public static String exact(ObjectNode body, String alias, String scope) {
    return EXACT_PREFIX + sha256(scope + "\n" + canonical(normalised(body, alias)));
  }

  /**
   * The semantic index key: everything but the last user message's wording must match exactly
   * (same alias, parameters, system prompt and earlier turns, same scope).
   */
  public static String semantic(ObjectNode body, String alias, String scope) {
    ObjectNode context = normalised(body, alias);
    JsonNode messages = context.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        ObjectNode last = (ObjectNode) messages.get(i);
        JsonNode content = last.path("content");
        if (content.isArray()) { // only the wording may differ: images and other parts stay in the key
          ArrayNode kept = Json.array();
          content.forEach(part -> {
            if (!"text".equals(part.path("type").asText())) {
              kept.add(part);
            }
          });
          last.set("content", kept);
        } else {
          last.put("content", "");
        }
        break;
      }
    }
    return SEMANTIC_PREFIX + sha256(scope + "\n" + canonical(context));
  }

  static ObjectNode normalised(ObjectNode body, String alias) {
    ObjectNode copy = body.deepCopy();
    copy.remove(IGNORED);
    copy.put("model", alias);
    return copy;
  }

  /** Sorted keys and normalised numbers, so equal requests give equal text whatever the client's order. */
  static String canonical(JsonNode node) {
    return Json.mapper().valueToTree(sorted(node)).toString();
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.object();
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      names.forEach(name -> out.set(name, sorted(node.get(name))));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.array();
      node.forEach(element -> out.add(sorted(element)));
      return out;
    }
    if (node.isNumber()) {
      // a marker no client string carries, so the number 1 and the text "1" stay different
      return new TextNode("\u0000n:" + node.decimalValue().stripTrailingZeros().toPlainString());
    }
    return node;
  }

  static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
