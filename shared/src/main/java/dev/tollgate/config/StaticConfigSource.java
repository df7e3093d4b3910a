package dev.tollgate.config;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Config items held in memory: for priming, tests, and tools that validate before writing. */
public final class StaticConfigSource implements ConfigSource {

  private final AtomicReference<List<ConfigItem>> items;
  private final String name;

  public StaticConfigSource(String name, List<ConfigItem> items) {
    this.name = name;
    this.items = new AtomicReference<>(List.copyOf(items));
  }

  /** Replaces the items; the gateway sees them at its next refresh. */
  public void replace(List<ConfigItem> replacement) {
    items.set(List.copyOf(replacement));
  }

  @Override
  public List<ConfigItem> load() {
    return items.get();
  }

  @Override
  public String describe() {
    return name;
  }
}
