package dev.tollgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The embeddings request shape: each invalid body names its offending field; valid ones pass whole. */
class EmbeddingsRequestValidatorTest {

  private static final String BASE = "{'model':'embed-small','input':'hello'}";

  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'));
  }

  private static JsonNode with(String overrides) {
    ObjectNode body = (ObjectNode) json(BASE);
    body.setAll((ObjectNode) json(overrides));
    return body;
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        Arguments.of("{'model':null}", "model", "missing_required_parameter"),
        Arguments.of("{'model':''}", "model", "invalid_value"),
        Arguments.of("{'model':['a']}", "model", "invalid_value"),
        Arguments.of("{'input':null}", "input", "missing_required_parameter"),
        Arguments.of("{'input':''}", "input", "invalid_value"),
        Arguments.of("{'input':[]}", "input", "invalid_value"),
        Arguments.of("{'input':42}", "input", "invalid_value"),
        Arguments.of("{'input':{'text':'a'}}", "input", "invalid_value"),
        Arguments.of("{'input':['a','']}", "input[1]", "invalid_value"),
        Arguments.of("{'input':['a',7]}", "input[1]", "invalid_value"),
        Arguments.of("{'input':[1,'a']}", "input[1]", "invalid_value"),
        Arguments.of("{'input':[1,-2]}", "input[1]", "invalid_value"),
        Arguments.of("{'input':[1,2.5]}", "input[1]", "invalid_value"),
        Arguments.of("{'input':[[1,2],[]]}", "input[1]", "invalid_value"),
        Arguments.of("{'input':[[1,2],[3,'x']]}", "input[1][1]", "invalid_value"),
        Arguments.of("{'input':[[1],'a']}", "input[1]", "invalid_value"),
        Arguments.of("{'input':[true]}", "input[0]", "invalid_value"),
        Arguments.of("{'dimensions':0}", "dimensions", "invalid_value"),
        Arguments.of("{'dimensions':1.5}", "dimensions", "invalid_value"),
        Arguments.of("{'dimensions':'256'}", "dimensions", "invalid_value"),
        Arguments.of("{'encoding_format':'int8'}", "encoding_format", "invalid_value"),
        Arguments.of("{'encoding_format':1}", "encoding_format", "invalid_value"),
        Arguments.of("{'user':5}", "user", "invalid_value"));
  }

  @ParameterizedTest
  @MethodSource("invalidBodies")
  void anInvalidBodyIs400NamingTheField(String overrides, String param, String code) {
    ApiError error =
        assertThrows(ApiException.class, () -> EmbeddingsRequestValidator.validate(with(overrides))).error();
    assertEquals(400, error.status());
    assertEquals(param, error.param());
    assertEquals(code, error.code());
    assertEquals(ApiError.INVALID_REQUEST, error.type());
    assertTrue(error.message().contains("'" + param + "'"), error.message());
  }

  @Test
  void aBodyThatIsNotAnObjectIs400() {
    ApiError error = assertThrows(ApiException.class, () -> EmbeddingsRequestValidator.validate(json("['a']"))).error();
    assertEquals(400, error.status());
  }

  @Test
  void moreThan2048InputsAre400() {
    ObjectNode body = (ObjectNode) json(BASE);
    var input = body.putArray("input");
    for (int i = 0; i <= EmbeddingsRequestValidator.MAX_INPUTS; i++) {
      input.add("text " + i);
    }
    ApiError error = assertThrows(ApiException.class, () -> EmbeddingsRequestValidator.validate(body)).error();
    assertEquals("input", error.param());
    assertTrue(error.message().contains("2048"), error.message());
  }

  @Test
  void aSingleStringIsOneTextInput() {
    EmbeddingsRequest request = EmbeddingsRequestValidator.validate(with("{'input':'hello'}"));
    assertEquals(List.of("hello"), request.texts());
    assertEquals(1, request.inputCount());
    assertFalse(request.tokenInput());
    assertEquals("embed-small", request.model());
  }

  @Test
  void anArrayOfStringsIsOneInputEach() {
    EmbeddingsRequest request = EmbeddingsRequestValidator.validate(with("{'input':['a','b','c']}"));
    assertEquals(List.of("a", "b", "c"), request.texts());
    assertEquals(3, request.inputCount());
  }

  @Test
  void oneFlatTokenArrayIsOneInputAndArraysOfTokenArraysOneEach() {
    EmbeddingsRequest flat = EmbeddingsRequestValidator.validate(with("{'input':[15339,1917]}"));
    assertTrue(flat.tokenInput());
    assertEquals(1, flat.inputCount());
    assertEquals(List.of(), flat.texts());
    EmbeddingsRequest nested = EmbeddingsRequestValidator.validate(with("{'input':[[15339],[1917,0]]}"));
    assertTrue(nested.tokenInput());
    assertEquals(2, nested.inputCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"float", "base64"})
  void bothEncodingsAndDimensionsAreAccepted(String format) {
    EmbeddingsRequest request =
        EmbeddingsRequestValidator.validate(
            with("{'encoding_format':'" + format + "','dimensions':256,'user':'u-1','x_extra':{'kept':true}}"));
    assertEquals(format.equals("base64"), request.base64());
    assertEquals(OptionalInt.of(256), request.dimensions());
    assertTrue(request.body().path("x_extra").path("kept").asBoolean(), "unknown fields pass through");
  }

  @Test
  void withoutDimensionsNoneIsAsked() {
    EmbeddingsRequest request = EmbeddingsRequestValidator.validate(json(BASE));
    assertEquals(OptionalInt.empty(), request.dimensions());
    assertFalse(request.base64());
  }
}
