package dev.tollgate.bench;

import java.util.HashMap;
import java.util.Map;

/** Command-line options of the form {@code --name value}; nothing more is needed here. */
record Args(Map<String, String> values) {

  static Args parse(String[] argv) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < argv.length; i += 2) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", argv));
      }
      values.put(argv[i].substring(2), argv[i + 1]);
    }
    return new Args(values);
  }

  String text(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return value;
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  long pid(String name) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : -1;
  }
}
