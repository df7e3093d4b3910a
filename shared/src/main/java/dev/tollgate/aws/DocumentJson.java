package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** Converts between Jackson trees and the AWS SDK's {@link Document}, which Bedrock uses for free-form JSON. */
final class DocumentJson {

  private DocumentJson() {}

  static Document toDocument(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Document.fromNull();
    }
    if (node.isObject()) {
      Map<String, Document> members = new LinkedHashMap<>();
      node.properties().forEach(entry -> members.put(entry.getKey(), toDocument(entry.getValue())));
      return Document.fromMap(members);
    }
    if (node.isArray()) {
      List<Document> items = new ArrayList<>();
      node.forEach(item -> items.add(toDocument(item)));
      return Document.fromList(items);
    }
    if (node.isBoolean()) {
      return Document.fromBoolean(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return Document.fromNumber(SdkNumber.fromBigInteger(node.bigIntegerValue()));
    }
    if (node.isNumber()) {
      return Document.fromNumber(SdkNumber.fromBigDecimal(node.decimalValue()));
    }
    return Document.fromString(node.asText());
  }

  static JsonNode toJson(Document document) {
    if (document == null || document.isNull()) {
      return JsonNodeFactory.instance.nullNode();
    }
    if (document.isMap()) {
      ObjectNode object = Json.object();
      document.asMap().forEach((name, value) -> object.set(name, toJson(value)));
      return object;
    }
    if (document.isList()) {
      ArrayNode array = Json.array();
      document.asList().forEach(item -> array.add(toJson(item)));
      return array;
    }
    if (document.isBoolean()) {
      return JsonNodeFactory.instance.booleanNode(document.asBoolean());
    }
    if (document.isNumber()) {
      return JsonNodeFactory.instance.numberNode(document.asNumber().bigDecimalValue());
    }
    return JsonNodeFactory.instance.textNode(document.asString());
  }
}
