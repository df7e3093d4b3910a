package dev.tollgate.config;

import dev.tollgate.cache.CacheRule;
import dev.tollgate.cache.CacheRule.Mode;
import dev.tollgate.cache.CacheRule.Scope;
import dev.tollgate.prompt.PromptMatch;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks one response cache policy item ({@code pk = cache#NAME}, {@code sk = cache}).
 * A policy is a family of its own, matched by {@code models} and {@code groups} like the prompt
 * policies and filters, so one item can cover many aliases or only a tier of consumers.
 */
final class CacheReader {

  static final long MAX_TTL_SECONDS = 30L * 24 * 3600;
  static final BigDecimal MIN_SIMILARITY = new BigDecimal("0.5");
  private static final Set<String> FIELDS =
      Set.of("mode", "ttlSeconds", "scope", "deterministicOnly", "maxEntryBytes", "similarity", "countHits", "models",
          "groups", "description");
  private static final Map<String, Mode> MODES = Map.of("off", Mode.OFF, "exact", Mode.EXACT, "semantic", Mode.SEMANTIC);
  private static final Map<String, Scope> SCOPES =
      Map.of("consumer", Scope.CONSUMER, "group", Scope.GROUP, "global", Scope.GLOBAL);
  /** Hits never count against limits: they cost no upstream tokens. The field is there to say so explicitly. */
  private static final Map<String, String> COUNT_HITS = Map.of("none", "none");

  private CacheReader() {}

  static Optional<CacheRule> read(ConfigItem item, ItemReader reader) {
    String name = PromptReaders.name(item, reader, ItemKeys.CACHE_PREFIX, ItemKeys.CACHE_SK, "a response cache");
    reader.rejectUnknown(FIELDS);
    Mode mode = LimitReader.oneOf(reader, "mode", MODES, Mode.OFF);
    long ttl = reader.integer("ttlSeconds", CacheRule.DEFAULT_TTL.toSeconds(), 1, MAX_TTL_SECONDS);
    Scope scope = LimitReader.oneOf(reader, "scope", SCOPES, Scope.CONSUMER);
    boolean deterministicOnly = reader.bool("deterministicOnly", true);
    int maxEntryBytes = (int) reader.integer("maxEntryBytes", CacheRule.MAX_ENTRY_BYTES, 1, CacheRule.MAX_ENTRY_BYTES);
    double similarity =
        reader.has("similarity")
            ? reader.decimal("similarity", MIN_SIMILARITY, BigDecimal.ONE).doubleValue()
            : CacheRule.DEFAULT_SIMILARITY;
    if (reader.has("similarity") && mode != Mode.SEMANTIC && reader.ok()) {
      reader.fail("similarity", reader.value("similarity"), "no similarity unless mode is semantic");
    }
    LimitReader.oneOf(reader, "countHits", COUNT_HITS, "none");
    PromptMatch match = PromptReaders.match(reader);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(
        new CacheRule(name, mode, Duration.ofSeconds(ttl), scope, deterministicOnly, maxEntryBytes, similarity, match));
  }
}
