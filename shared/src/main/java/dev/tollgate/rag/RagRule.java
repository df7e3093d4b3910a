package dev.tollgate.rag;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured retrieval policy ({@code pk = rag#NAME}): which knowledge base grounds the
 * requests it matches, how many chunks of what score, where the context goes, and what a failed
 * retrieval does. When several match a request, the first by {@code order}, then name, applies.
 *
 * @param models aliases it applies to; empty for all
 * @param groups consumer groups it applies to; empty for all
 * @param filter metadata every retrieved chunk must carry (exact values); empty for none
 * @param maxContextChars chunks past this many characters of context are left out, whole
 * @param optional whether a request may turn it off with {@code "tollgate": {"kb": "none"}}
 * @param onRequest whether it applies only to requests that name its kb (else to every match)
 */
public record RagRule(
    String name,
    String kb,
    Set<String> models,
    Set<String> groups,
    int topK,
    double minScore,
    Map<String, String> filter,
    Inject inject,
    OnError onError,
    int maxContextChars,
    long order,
    boolean optional,
    boolean onRequest) {

  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** A knowledge base id; {@value #NO_KB} is not one, it turns retrieval off. */
  public static final Pattern KB = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** What a request names as its kb to ask for no retrieval. */
  public static final String NO_KB = "none";
  public static final int DEFAULT_TOP_K = 4;
  public static final int MAX_TOP_K = 20;
  public static final int DEFAULT_MAX_CONTEXT_CHARS = 6000;

  /** Where the context block goes. */
  public enum Inject {
    /** One system message after the request's own leading system messages. */
    SYSTEM,
    /** In front of the text of the last user message. */
    USER
  }

  /** What a failed retrieval (store, model or function down, unknown kb) does. */
  public enum OnError {
    /** Answer without context; the response says {@code x-tollgate-rag: unavailable}. */
    ANSWER,
    /** Refuse with 503 {@code retrieval_unavailable}, before any upstream call or reservation. */
    FAIL
  }

  public RagRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kb, "kb");
    Objects.requireNonNull(inject, "inject");
    Objects.requireNonNull(onError, "onError");
    models = Set.copyOf(models);
    groups = Set.copyOf(groups);
    filter = Map.copyOf(filter);
  }

  /** Whether it applies to a request for {@code alias} by a consumer of {@code group}. */
  public boolean matches(String alias, String group) {
    return (models.isEmpty() || models.contains(alias)) && (groups.isEmpty() || groups.contains(group));
  }
}
