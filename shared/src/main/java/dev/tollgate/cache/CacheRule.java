package dev.tollgate.cache;

import dev.tollgate.prompt.PromptMatch;
import java.time.Duration;

/**
 * One response cache policy ({@code pk = cache#NAME}): for the aliases and groups it matches, how
 * answers are cached, for how long, and who may be served whose answers.
 *
 * @param maxEntryBytes the largest stored answer (UTF-8 JSON); bigger ones are skipped
 * @param similarity the least cosine similarity a semantic hit needs (semantic mode only)
 */
public record CacheRule(
    String name,
    Mode mode,
    Duration ttl,
    Scope scope,
    boolean deterministicOnly,
    int maxEntryBytes,
    double similarity,
    PromptMatch match) {

  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  /** Under DynamoDB's 400 KB item limit with room for the key and attributes (and the semantic index). */
  public static final int MAX_ENTRY_BYTES = 350_000;
  public static final double DEFAULT_SIMILARITY = 0.95;

  /** Whether answers are cached, and how they are found again. */
  public enum Mode {
    OFF,
    EXACT,
    SEMANTIC
  }

  /** Who shares cached answers: one consumer, one consumer group, or everyone. */
  public enum Scope {
    CONSUMER,
    GROUP,
    GLOBAL
  }

  public boolean matches(String alias, String group) {
    return match.matches(alias, group);
  }
}
