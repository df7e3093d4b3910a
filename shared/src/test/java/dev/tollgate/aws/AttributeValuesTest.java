package dev.tollgate.aws;

import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.testing.DynamoDbLocal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * {@link AttributeValues} on items that went through DynamoDB Local: what a person may write with
 * {@code aws dynamodb put-item} (N, SS, NS, NULL, ...) reads back as the JSON the validator
 * expects, and JSON written by the tools comes back the same.
 */
class AttributeValuesTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private String table;

  @BeforeEach
  void freshTable() {
    String prefix = dynamo.freshPrefix();
    TableSchemas.createAll(dynamo.client(), prefix);
    table = prefix + TableSchemas.CONFIG;
  }

  /** Stores {@code name = value} in an item and reads the item back through the table as JSON. */
  private JsonNode throughTheTable(String name, AttributeValue value) {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put(ItemKeys.PK, AttributeValue.fromS("route#chat"));
    item.put(ItemKeys.SK, AttributeValue.fromS("target#a"));
    item.put(name, value);
    dynamo.client().putItem(PutItemRequest.builder().tableName(table).item(item).build());
    return new DynamoDbConfigSource(dynamo.client(), table).load().getFirst().attributes().get(name);
  }

  @ParameterizedTest(name = "N {0}")
  @CsvSource({"60", "0", "-5", "5.0", "1E+3", "9223372036854775807", "18446744073709551617", "1e40"})
  void wholeNumbersReadAsIntegers(String stored) {
    JsonNode value = throughTheTable("weight", AttributeValue.fromN(stored));

    assertTrue(value.isIntegralNumber(), value.getNodeType() + " " + value);
    assertEquals(new BigDecimal(stored).toBigIntegerExact(), value.bigIntegerValue());
  }

  @ParameterizedTest(name = "N {0}")
  @CsvSource({"0.15", "2.50", "-0.001", "1E-7", "12345678901234567890.5"})
  void fractionsReadAsExactDecimals(String stored) {
    JsonNode value = throughTheTable("priceInputPerMillion", AttributeValue.fromN(stored));

    assertTrue(value.isNumber() && !value.isIntegralNumber(), value.getNodeType() + " " + value);
    assertEquals(0, new BigDecimal(stored).compareTo(value.decimalValue()), value.toString());
  }

  @Test
  void stringAndNumberSetsReadAsArrays() {
    JsonNode strings = throughTheTable("models", AttributeValue.fromSs(List.of("chat", "embed")));
    JsonNode numbers = throughTheTable("codes", AttributeValue.fromNs(List.of("429", "2.5")));

    assertTrue(strings.isArray());
    Set<String> names = new HashSet<>();
    strings.forEach(element -> names.add(element.asText()));
    assertEquals(Set.of("chat", "embed"), names);
    assertTrue(numbers.isArray());
    Set<BigDecimal> values = new HashSet<>();
    numbers.forEach(element -> values.add(element.decimalValue().stripTrailingZeros()));
    assertEquals(Set.of(new BigDecimal("429"), new BigDecimal("2.5")), values);
  }

  @Test
  void nullReadsAsJsonNullAndBinaryAsBase64() {
    assertTrue(throughTheTable("description", AttributeValue.fromNul(true)).isNull());
    assertEquals("AAEC/w==", throughTheTable("blob", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, 2, -1}))).asText());
  }

  @Test
  void jsonWrittenAsAnItemReadsBackTheSame() {
    ObjectNode json =
        (ObjectNode)
            Json.parse(
                """
                {"pk": "route#chat", "sk": "target#a", "s": "text", "n": 42, "big": 12345678901234567890,
                 "d": 0.125, "t": true, "f": false, "nil": null, "list": [1, "x", [false], {"k": 2.5}],
                 "map": {"inner": {"deeper": ["a", null]}, "empty": {}}, "emptyList": []}
                """);

    Map<String, AttributeValue> item = AttributeValues.toItem(json);
    dynamo.client().putItem(PutItemRequest.builder().tableName(table).item(item).build());
    Map<String, AttributeValue> back =
        dynamo
            .client()
            .getItem(
                GetItemRequest.builder()
                    .tableName(table)
                    .key(Map.of(ItemKeys.PK, item.get(ItemKeys.PK), ItemKeys.SK, item.get(ItemKeys.SK)))
                    .build())
            .item();

    assertSameJson(json, AttributeValues.toJson(back));
    assertEquals(AttributeValue.Type.N, back.get("n").type());
    assertEquals(AttributeValue.Type.NUL, back.get("nil").type());
    assertEquals(AttributeValue.Type.L, back.get("list").type());
    assertEquals(AttributeValue.Type.M, back.get("map").type());
    assertEquals(new BigInteger("12345678901234567890"), AttributeValues.toJson(back).get("big").bigIntegerValue());
    assertFalse(AttributeValues.toJson(back).get("d").isIntegralNumber());
  }
}
