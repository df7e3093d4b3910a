package dev.tollgate.config;

import java.util.List;

/** Where raw config items come from (the DynamoDB config table, or memory in tests). */
public interface ConfigSource {

  /** Reads every item; throws when the store cannot be read at all. */
  List<ConfigItem> load();

  /** Names the source in logs, e.g. the table name. */
  String describe();
}
