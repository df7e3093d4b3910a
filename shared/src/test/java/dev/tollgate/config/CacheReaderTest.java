package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.cache.CacheRule;
import dev.tollgate.testing.ConfigItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Response cache policy items: defaults, every field read or refused precisely, the YAML section both ways. */
class CacheReaderTest {

  private static ConfigItems.Builder cache(String name) {
    return ConfigItems.item(ItemKeys.cachePk(name), ItemKeys.CACHE_SK);
  }

  private static CacheRule only(ConfigItem item) {
    ValidatedConfig validated = validate(item);
    assertEquals(List.of(), validated.errors());
    return validated.config().caches().getFirst();
  }

  @Test
  void anEmptyPolicyIsOffWithSafeDefaults() {
    CacheRule rule = only(cache("c").build());
    assertEquals("c", rule.name());
    assertEquals(CacheRule.Mode.OFF, rule.mode());
    assertEquals(Duration.ofHours(1), rule.ttl());
    assertEquals(CacheRule.Scope.CONSUMER, rule.scope());
    assertEquals(true, rule.deterministicOnly());
    assertEquals(CacheRule.MAX_ENTRY_BYTES, rule.maxEntryBytes());
    assertEquals(0.95, rule.similarity());
    assertEquals(Set.of(), rule.match().models());
  }

  @Test
  void everyFieldIsRead() {
    CacheRule rule = only(cache("c").with("mode", "semantic").with("ttlSeconds", 600).with("scope", "group")
        .with("deterministicOnly", false).with("maxEntryBytes", 5000).with("similarity", 0.9).with("countHits", "none")
        .with("models", List.of("gpt")).with("groups", List.of("paid")).with("description", "d").build());
    assertEquals(CacheRule.Mode.SEMANTIC, rule.mode());
    assertEquals(Duration.ofMinutes(10), rule.ttl());
    assertEquals(CacheRule.Scope.GROUP, rule.scope());
    assertEquals(false, rule.deterministicOnly());
    assertEquals(5000, rule.maxEntryBytes());
    assertEquals(0.9, rule.similarity());
    assertEquals(true, rule.matches("gpt", "paid"));
    assertEquals(false, rule.matches("gpt", "free"));
  }

  @Test
  void badValuesAreRefusedWithWhatIsExpected() {
    onlyError(cache("c").with("mode", "fuzzy").build(), "mode", "one of exact, off, semantic");
    onlyError(cache("c").with("scope", "team").build(), "scope", "one of consumer, global, group");
    onlyError(cache("c").with("ttlSeconds", 0).build(), "ttlSeconds", "an integer from 1 to 2592000");
    onlyError(cache("c").with("maxEntryBytes", 400_000).build(), "maxEntryBytes", "an integer from 1 to 350000");
    onlyError(cache("c").with("mode", "semantic").with("similarity", 1.5).build(), "similarity", "a number from 0.5 to 1");
    onlyError(cache("c").with("mode", "exact").with("similarity", 0.9).build(), "similarity", "unless mode is semantic");
    onlyError(cache("c").with("countHits", "tokens").build(), "countHits", "one of none");
    onlyError(cache("c").with("deterministicOnly", "yes").build(), "deterministicOnly", "true or false");
    onlyError(cache("c").with("ttl", 5).build(), "ttl", "no such field; allowed: countHits, description");
    onlyError(cache("c").with("models", List.of("bad alias!")).build(), "models", "model alias");
  }

  @Test
  void aWrongSortKeyOrNameIsRefused() {
    onlyError(ConfigItems.item(ItemKeys.cachePk("c"), "caches").build(), null, "sk to be 'cache'");
    onlyError(cache("bad name").build(), "pk", "'cache#' followed by");
  }

  @Test
  void theFirstPolicyByNameDecides() {
    ValidatedConfig validated = validate(cache("b").with("mode", "exact").build(), cache("a").with("mode", "off").build());
    assertEquals(List.of("a", "b"), validated.config().caches().stream().map(CacheRule::name).toList());
  }

  private static final String DOCUMENT =
      """
      {"caches": {
         "answers": {"description": "repeatable answers", "mode": "semantic", "ttlSeconds": 600, "scope": "group",
           "deterministicOnly": false, "similarity": 0.9, "maxEntryBytes": 100000, "countHits": "none",
           "models": ["gpt"], "groups": ["paid"]},
         "simple": {"mode": "exact"}}}
      """;

  @Test
  void theCachesSectionBecomesOneItemPerPolicyAndExportsAsItWasWritten() {
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(Json.parse(DOCUMENT), errors);
    assertEquals(List.of(), errors);
    assertEquals(List.of("cache#answers cache @ caches.answers", "cache#simple cache @ caches.simple"),
        items.stream().map(i -> i.pk() + " " + i.sk() + " @ " + i.location()).toList());
    assertEquals(List.of(), new ConfigValidator(dev.tollgate.testing.StandardProviders.registry())
        .validate(items, java.time.Instant.EPOCH).errors());
    JsonNode exported = ConfigDocument.fromItems(items);
    assertEquals(Json.parse(DOCUMENT).get("caches").toString(), exported.get("caches").toString());
  }
}
