package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Converts between DynamoDB attribute values and JSON trees, both ways, losslessly for config. */
public final class AttributeValues {

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private AttributeValues() {}

  public static ObjectNode toJson(Map<String, AttributeValue> item) {
    ObjectNode object = NODES.objectNode();
    item.forEach((name, value) -> object.set(name, toJson(value)));
    return object;
  }

  public static JsonNode toJson(AttributeValue value) {
    return switch (value.type()) {
      case S -> NODES.textNode(value.s());
      case N -> number(value.n());
      case BOOL -> NODES.booleanNode(value.bool());
      case NUL -> NODES.nullNode();
      case L -> {
        ArrayNode array = NODES.arrayNode();
        value.l().forEach(element -> array.add(toJson(element)));
        yield array;
      }
      case M -> toJson(value.m());
      case SS -> {
        ArrayNode array = NODES.arrayNode();
        value.ss().forEach(array::add);
        yield array;
      }
      case NS -> {
        ArrayNode array = NODES.arrayNode();
        value.ns().forEach(n -> array.add(number(n)));
        yield array;
      }
      case B -> NODES.textNode(Base64.getEncoder().encodeToString(value.b().asByteArray()));
      case BS -> {
        ArrayNode array = NODES.arrayNode();
        value.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
        yield array;
      }
      case UNKNOWN_TO_SDK_VERSION -> NODES.nullNode();
    };
  }

  public static Map<String, AttributeValue> toItem(ObjectNode object) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    object.properties().forEach(entry -> item.put(entry.getKey(), toAttribute(entry.getValue())));
    return item;
  }

  public static AttributeValue toAttribute(JsonNode node) {
    if (node.isTextual()) {
      return AttributeValue.fromS(node.asText());
    }
    if (node.isNumber()) {
      return AttributeValue.fromN(node.decimalValue().toPlainString());
    }
    if (node.isBoolean()) {
      return AttributeValue.fromBool(node.asBoolean());
    }
    if (node.isArray()) {
      List<AttributeValue> list = new ArrayList<>();
      node.forEach(element -> list.add(toAttribute(element)));
      return AttributeValue.fromL(list);
    }
    if (node.isObject()) {
      return AttributeValue.fromM(toItem((ObjectNode) node));
    }
    return AttributeValue.fromNul(true);
  }

  private static JsonNode number(String text) {
    BigDecimal decimal = new BigDecimal(text);
    if (decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0) {
      try {
        return NODES.numberNode(decimal.longValueExact());
      } catch (ArithmeticException tooBig) {
        // Still a whole number: as a decimal node it would pass integer checks and wrap around.
        return NODES.numberNode(decimal.toBigIntegerExact());
      }
    }
    return NODES.numberNode(decimal);
  }
}
