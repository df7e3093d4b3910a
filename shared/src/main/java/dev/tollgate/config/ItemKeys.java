package dev.tollgate.config;

/**
 * The key layout of the config table. Partition key {@code pk}, sort key {@code sk}:
 *
 * <pre>
 * pk = settings        sk = global       gateway-wide settings
 * pk = route#ALIAS     sk = route        options of a model alias (optional)
 * pk = route#ALIAS     sk = target#ID    one upstream target of the alias
 * pk = key#SHA256HEX   sk = key          one API key, by the hash of the key
 * pk = limit#NAME      sk = limit        one token or request limit policy
 * pk = price#MODEL     sk = price        what a model costs, for targets without prices
 * pk = guard#NAME      sk = guard        one prompt guard (allow / deny patterns)
 * pk = decorator#NAME  sk = decorator    messages put around matching requests
 * pk = template#NAME   sk = template     a prompt template requests name
 * pk = filter#NAME     sk = filter       one response / request filter (deny patterns, PII)
 * pk = guardrail#NAME  sk = guardrail    a Bedrock guardrail for input checks and output moderation
 * pk = rule#NAME       sk = rule         a context-aware routing rule (rewrites the requested alias)
 * pk = rag#NAME        sk = rag          a retrieval policy (grounds answers in a knowledge base)
 * pk = cache#NAME      sk = cache        a response cache policy (mode, ttl, scope) for matching aliases
 * </pre>
 */
public final class ItemKeys {

  public static final String PK = "pk";
  public static final String SK = "sk";
  public static final String SETTINGS_PK = "settings";
  public static final String SETTINGS_SK = "global";
  public static final String ROUTE_PREFIX = "route#";
  public static final String ROUTE_SK = "route";
  public static final String TARGET_PREFIX = "target#";
  public static final String KEY_PREFIX = "key#";
  public static final String KEY_SK = "key";
  public static final String LIMIT_PREFIX = "limit#";
  public static final String LIMIT_SK = "limit";
  public static final String PRICE_PREFIX = "price#";
  public static final String PRICE_SK = "price";
  public static final String GUARD_PREFIX = "guard#";
  public static final String GUARD_SK = "guard";
  public static final String DECORATOR_PREFIX = "decorator#";
  public static final String DECORATOR_SK = "decorator";
  public static final String TEMPLATE_PREFIX = "template#";
  public static final String TEMPLATE_SK = "template";
  public static final String FILTER_PREFIX = "filter#";
  public static final String FILTER_SK = "filter";
  public static final String GUARDRAIL_PREFIX = "guardrail#";
  public static final String GUARDRAIL_SK = "guardrail";
  public static final String RULE_PREFIX = "rule#";
  public static final String RULE_SK = "rule";
  public static final String RAG_PREFIX = "rag#";
  public static final String RAG_SK = "rag";
  public static final String CACHE_PREFIX = "cache#";
  public static final String CACHE_SK = "cache";

  private ItemKeys() {}

  public static String routePk(String alias) {
    return ROUTE_PREFIX + alias;
  }

  public static String targetSk(String targetId) {
    return TARGET_PREFIX + targetId;
  }

  public static String keyPk(String sha256Hex) {
    return KEY_PREFIX + sha256Hex;
  }

  public static String limitPk(String name) {
    return LIMIT_PREFIX + name;
  }

  public static String pricePk(String model) {
    return PRICE_PREFIX + model;
  }

  public static String guardPk(String name) {
    return GUARD_PREFIX + name;
  }

  public static String decoratorPk(String name) {
    return DECORATOR_PREFIX + name;
  }

  public static String templatePk(String name) {
    return TEMPLATE_PREFIX + name;
  }

  public static String filterPk(String name) {
    return FILTER_PREFIX + name;
  }

  public static String guardrailPk(String name) {
    return GUARDRAIL_PREFIX + name;
  }

  public static String rulePk(String name) {
    return RULE_PREFIX + name;
  }

  public static String ragPk(String name) {
    return RAG_PREFIX + name;
  }

  public static String cachePk(String name) {
    return CACHE_PREFIX + name;
  }
}
