package dev.tollgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import org.junit.jupiter.api.Test;

/** Cache keys: what changes the answer changes the key, what does not leaves it alone. */
class CacheKeysTest {

  private static final String BASE =
      "{\"model\":\"chat\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static String exact(String body) {
    return CacheKeys.exact((ObjectNode) Json.parse(body), "chat", "consumer:a");
  }

  private static String with(String field) {
    return BASE.replace("{\"model\"", "{" + field + ",\"model\"");
  }

  @Test
  void keysAreTypedSha256Hex() {
    assertTrue(exact(BASE).matches("exact#[0-9a-f]{64}"), exact(BASE));
    assertTrue(CacheKeys.semantic((ObjectNode) Json.parse(BASE), "chat", "global").matches("semantic#[0-9a-f]{64}"));
  }

  @Test
  void everyParameterThatChangesTheAnswerChangesTheKey() {
    for (String field : new String[] {
        "\"top_p\":0.5", "\"max_tokens\":5", "\"seed\":1", "\"stop\":[\"x\"]", "\"n\":2",
        "\"response_format\":{\"type\":\"json_object\"}", "\"tool_choice\":\"none\"",
        "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "\"x_vendor_knob\":true"}) {
      assertNotEquals(exact(BASE), exact(with(field)), field);
    }
    assertNotEquals(exact(BASE), exact(BASE.replace("\"temperature\":0", "\"temperature\":0.2")));
    assertNotEquals(exact(BASE), CacheKeys.exact((ObjectNode) Json.parse(BASE), "other", "consumer:a"));
    assertNotEquals(exact(BASE), CacheKeys.exact((ObjectNode) Json.parse(BASE), "chat", "consumer:b"));
  }

  @Test
  void transportFieldsOrderAndNumberSpellingDoNot() {
    for (String field : new String[] {
        "\"stream\":true", "\"stream_options\":{\"include_usage\":true}", "\"user\":\"u1\"", "\"metadata\":{\"k\":\"v\"}",
        "\"store\":true"}) {
      assertEquals(exact(BASE), exact(with(field)), field);
    }
    assertEquals(exact(BASE), exact(BASE.replace("\"temperature\":0", "\"temperature\":0.0")));
    assertEquals(exact(BASE),
        exact("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":0,\"model\":\"requested\"}"));
  }

  @Test
  void aNumberAndTheSameDigitsAsTextAreDifferent() {
    assertNotEquals(exact(with("\"seed\":1")), exact(with("\"seed\":\"1\"")));
  }

  @Test
  void theSemanticKeyIgnoresOnlyTheLastUserMessagesWording() {
    String turn = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
        + "{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"LAST\"}]}";
    String semantic = CacheKeys.semantic((ObjectNode) Json.parse(turn), "chat", "global");
    assertEquals(semantic, CacheKeys.semantic((ObjectNode) Json.parse(turn.replace("LAST", "other words")), "chat", "global"));
    assertNotEquals(semantic, CacheKeys.semantic((ObjectNode) Json.parse(turn.replace("first", "1st")), "chat", "global"));
  }
}
