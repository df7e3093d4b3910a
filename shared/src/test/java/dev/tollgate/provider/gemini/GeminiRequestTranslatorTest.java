package dev.tollgate.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request options the wire test's conversation does not exercise, translated one by one. */
class GeminiRequestTranslatorTest {

  private static JsonNode translate(String extraFields) {
    String body =
        "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + (extraFields.isEmpty() ? "" : "," + extraFields)
            + "}";
    return GeminiRequestTranslator.translate((ObjectNode) Json.parse(body));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"none\"                                                  | {\"mode\":\"NONE\"}",
        "\"auto\"                                                  | {\"mode\":\"AUTO\"}",
        "\"required\"                                              | {\"mode\":\"ANY\"}",
        "{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}} | {\"mode\":\"ANY\",\"allowedFunctionNames\":[\"lookup\"]}"
      })
  void toolChoiceBecomesAFunctionCallingMode(String toolChoice, String expected) {
    assertEquals(Json.parse(expected), translate("\"tool_choice\":" + toolChoice).at("/toolConfig/functionCallingConfig"));
  }

  @Test
  void aSingleStopStringAndMaxTokensAreCarriedOver() {
    assertEquals(
        Json.parse("{\"maxOutputTokens\":100,\"stopSequences\":[\"\\n\\n\"]}"),
        translate("\"max_tokens\":100,\"stop\":\"\\n\\n\"").path("generationConfig"));
  }

  @Test
  void maxCompletionTokensWinsOverTheOlderMaxTokens() {
    assertEquals(
        50, translate("\"max_tokens\":100,\"max_completion_tokens\":50").at("/generationConfig/maxOutputTokens").asInt());
  }

  @Test
  void jsonObjectModeAsksForJson() {
    assertEquals(
        Json.parse("{\"responseMimeType\":\"application/json\"}"),
        translate("\"response_format\":{\"type\":\"json_object\"}").path("generationConfig"));
  }

  @Test
  void aJsonSchemaIsSentAsTheResponseSchema() {
    JsonNode config =
        translate(
                """
                "response_format": {"type": "json_schema", "json_schema": {"name": "city", "strict": true,
                  "schema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}}
                """)
            .path("generationConfig");

    assertEquals(
        Json.parse(
            """
            {"responseMimeType": "application/json",
             "responseSchema": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}
            """),
        config);
  }

  @Test
  void aPlainRequestSendsNoEmptySections() {
    JsonNode request = translate("\"stream\":true,\"presence_penalty\":1,\"user\":\"u\"");

    assertEquals(Json.parse("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"), request);
    assertFalse(request.has("generationConfig"));
  }

  @Test
  void aToolResultWithoutAKnownCallIsNamedByItsOwnName() {
    ObjectNode body =
        (ObjectNode)
            Json.parse(
                """
                {"model": "chat", "messages": [
                  {"role": "user", "content": "weather?"},
                  {"role": "function", "name": "get_weather", "content": "sunny"}]}
                """);

    JsonNode parts = GeminiRequestTranslator.translate(body).at("/contents/0/parts");

    assertEquals(
        Json.parse(
            "[{\"text\":\"weather?\"},{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"content\":\"sunny\"}}}]"),
        parts);
  }

  @Test
  void emptyTextBesideToolCallsIsLeftOutAsGeminiRefusesIt() {
    ObjectNode body =
        (ObjectNode)
            Json.parse(
                """
                {"model": "chat", "messages": [
                  {"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": "time?"}]},
                  {"role": "assistant", "content": "", "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "now", "arguments": ""}}]}]}
                """);

    assertEquals(
        Json.parse(
            """
            [{"role": "user", "parts": [{"text": "time?"}]},
             {"role": "model", "parts": [{"functionCall": {"name": "now", "args": {}}}]}]
            """),
        GeminiRequestTranslator.translate(body).path("contents"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "https://example.com/a/cat.PNG, image/png",
    "https://example.com/cat.gif#frame, image/gif",
    "https://example.com/cat.jpeg, image/jpeg",
    "https://example.com/cat.heic, image/heic",
    "https://cdn.example.com/v1.2/photo, image/jpeg"
  })
  void theImageTypeIsGuessedFromTheExtension(String url, String mimeType) {
    assertEquals(mimeType, GeminiRequestTranslator.mimeTypeOf(url));
  }
}
