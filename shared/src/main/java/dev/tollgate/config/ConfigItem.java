package dev.tollgate.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One raw configuration item as stored in the config table: its key and its attributes as a JSON
 * tree. {@code location} tells a person where it came from (a table key or a YAML path).
 */
public record ConfigItem(String pk, String sk, ObjectNode attributes, String location) {

  public static ConfigItem fromTable(String pk, String sk, ObjectNode attributes) {
    return new ConfigItem(pk, sk, attributes, "item {pk=" + pk + ", sk=" + sk + "}");
  }
}
