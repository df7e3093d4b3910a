package dev.tollgate.cli;

import dev.tollgate.auth.Consumer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The groups each consumer holds API keys in; one consumer may have keys in several. */
final class KeyGroups {

  private final Map<String, Set<String>> groupsByConsumer = new HashMap<>();

  KeyGroups(Collection<Consumer> keys) {
    keys.forEach(key -> groupsByConsumer.computeIfAbsent(key.name(), name -> new TreeSet<>()).add(key.group()));
  }

  Set<String> groupsOf(String consumer) {
    return groupsByConsumer.getOrDefault(consumer, Set.of());
  }
}
