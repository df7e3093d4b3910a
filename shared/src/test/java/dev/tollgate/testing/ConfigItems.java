package dev.tollgate.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import java.util.Map;
import java.util.TreeMap;

/** Config items as the table holds them, for tests that feed a gateway or the table. */
public final class ConfigItems {

  /** The API key every test client presents; its hash is what {@link #apiKey()} stores. */
  public static final String API_KEY = "tg-wire-tests-0123456789";

  private ConfigItems() {}

  /** An enabled key for consumer {@code tests} that may call every alias. */
  public static ConfigItem apiKey() {
    ObjectNode attributes = Json.object().put("consumer", "tests").put("group", "ci");
    attributes.putArray("models").add("*");
    return new ConfigItem(ItemKeys.keyPk(ApiKeys.hash(API_KEY)), ItemKeys.KEY_SK, attributes, "test key");
  }

  /** A target item; {@code attributes} are written as given, in name order. */
  public static ConfigItem target(String alias, String id, Map<String, ?> attributes) {
    ObjectNode node = Json.mapper().valueToTree(new TreeMap<>(attributes));
    return new ConfigItem(ItemKeys.routePk(alias), ItemKeys.targetSk(id), node, alias + "/" + id);
  }

  public static ConfigItem route(String alias, Map<String, ?> attributes) {
    ObjectNode node = Json.mapper().valueToTree(new TreeMap<>(attributes));
    return new ConfigItem(ItemKeys.routePk(alias), ItemKeys.ROUTE_SK, node, alias);
  }

  public static ConfigItem settings(Map<String, ?> attributes) {
    ObjectNode node = Json.mapper().valueToTree(new TreeMap<>(attributes));
    return new ConfigItem(ItemKeys.SETTINGS_PK, ItemKeys.SETTINGS_SK, node, "settings");
  }
}
