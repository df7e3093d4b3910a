package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import java.util.List;
import java.util.Map;

/**
 * Builds raw config-table items the way an operator writes them, e.g.
 * {@code ConfigItems.target("chat", "a").with("provider", "mock").with("weight", 60).build()}.
 */
public final class ConfigItems {

  private ConfigItems() {}

  public static Builder settings() {
    return item(ItemKeys.SETTINGS_PK, ItemKeys.SETTINGS_SK);
  }

  /** The options item of a model alias. */
  public static Builder route(String alias) {
    return item(ItemKeys.routePk(alias), ItemKeys.ROUTE_SK);
  }

  /** A target item with no attributes yet. */
  public static Builder target(String alias, String id) {
    return item(ItemKeys.routePk(alias), ItemKeys.targetSk(id));
  }

  /** A target served by the {@link ScriptedProvider}. */
  public static Builder scriptedTarget(String alias, String id) {
    return target(alias, id).with("provider", ScriptedProvider.TYPE);
  }

  /** An API key item by hash, with no attributes yet. */
  public static Builder key(String sha256Hex) {
    return item(ItemKeys.keyPk(sha256Hex), ItemKeys.KEY_SK);
  }

  /** An enabled key for {@code apiKey}, stored by its hash, allowed the given aliases. */
  public static Builder keyFor(String apiKey, String consumer, String... models) {
    return key(ApiKeys.hash(apiKey)).with("consumer", consumer).with("models", List.of(models));
  }

  /** An enabled key for {@link GatewayHarness#API_KEY}, allowed every alias. */
  public static ConfigItem apiKey() {
    return keyFor(GatewayHarness.API_KEY, "tests", "*").build();
  }

  /** A limit policy item with no attributes yet. */
  public static Builder limit(String name) {
    return item(ItemKeys.limitPk(name), ItemKeys.LIMIT_SK);
  }

  /** A model price item with no attributes yet. */
  public static Builder price(String model) {
    return item(ItemKeys.pricePk(model), ItemKeys.PRICE_SK);
  }

  /** A prompt guard item with no attributes yet. */
  public static Builder guard(String name) {
    return item(ItemKeys.guardPk(name), ItemKeys.GUARD_SK);
  }

  /** A prompt decorator item with no attributes yet. */
  public static Builder decorator(String name) {
    return item(ItemKeys.decoratorPk(name), ItemKeys.DECORATOR_SK);
  }

  /** A prompt template item with no attributes yet. */
  public static Builder template(String name) {
    return item(ItemKeys.templatePk(name), ItemKeys.TEMPLATE_SK);
  }

  /** A whole target item at once. */
  public static ConfigItem target(String alias, String id, Map<String, ?> attributes) {
    return target(alias, id).withAll(attributes).build();
  }

  public static ConfigItem route(String alias, Map<String, ?> attributes) {
    return route(alias).withAll(attributes).build();
  }

  public static ConfigItem settings(Map<String, ?> attributes) {
    return settings().withAll(attributes).build();
  }

  public static Builder item(String pk, String sk) {
    return new Builder(pk, sk);
  }

  /** Attributes of one item; values may be strings, numbers, booleans, lists, JSON or null. */
  public static final class Builder {
    private final String pk;
    private final String sk;
    private final ObjectNode attributes = Json.object();

    private Builder(String pk, String sk) {
      this.pk = pk;
      this.sk = sk;
    }

    public Builder with(String field, Object value) {
      JsonNode node = value == null ? NullNode.getInstance() : Json.mapper().valueToTree(value);
      attributes.set(field, node);
      return this;
    }

    public Builder withAll(Map<String, ?> values) {
      values.forEach(this::with);
      return this;
    }

    public Builder without(String field) {
      attributes.remove(field);
      return this;
    }

    public ConfigItem build() {
      return ConfigItem.fromTable(pk, sk, attributes.deepCopy());
    }
  }
}
