package dev.tollgate.prompt;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The prompt guards, decorators and templates of one config snapshot, each by name. Guards and
 * decorators apply in name order, so every instance treats a request the same way.
 */
public record PromptPolicies(
    SortedMap<String, PromptGuard> guards,
    SortedMap<String, PromptDecorator> decorators,
    SortedMap<String, PromptTemplate> templates) {

  public static final PromptPolicies NONE = of(List.of(), List.of(), List.of());
  /** A guard, decorator or template name: letters, digits and {@code . _ -}, as limit policy names. */
  public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public PromptPolicies {
    guards = Collections.unmodifiableSortedMap(new TreeMap<>(guards));
    decorators = Collections.unmodifiableSortedMap(new TreeMap<>(decorators));
    templates = Collections.unmodifiableSortedMap(new TreeMap<>(templates));
  }

  public static PromptPolicies of(
      Collection<PromptGuard> guards, Collection<PromptDecorator> decorators, Collection<PromptTemplate> templates) {
    return new PromptPolicies(
        byName(guards, PromptGuard::name), byName(decorators, PromptDecorator::name), byName(templates, PromptTemplate::name));
  }

  /** The guards that check requests for {@code alias} from consumers of {@code group}, in name order. */
  public List<PromptGuard> guardsFor(String alias, String group) {
    return guards.values().stream().filter(guard -> guard.match().matches(alias, group)).toList();
  }

  /** The decorators that apply to requests for {@code alias} from consumers of {@code group}, in name order. */
  public List<PromptDecorator> decoratorsFor(String alias, String group) {
    return decorators.values().stream().filter(decorator -> decorator.match().matches(alias, group)).toList();
  }

  public Optional<PromptTemplate> template(String name) {
    return Optional.ofNullable(templates.get(name));
  }

  public boolean isEmpty() {
    return guards.isEmpty() && decorators.isEmpty() && templates.isEmpty();
  }

  private static <T> SortedMap<String, T> byName(Collection<T> policies, Function<T, String> name) {
    SortedMap<String, T> map = new TreeMap<>();
    policies.forEach(policy -> {
      if (map.put(name.apply(policy), policy) != null) {
        throw new IllegalArgumentException("two policies are named " + name.apply(policy));
      }
    });
    return map;
  }
}
