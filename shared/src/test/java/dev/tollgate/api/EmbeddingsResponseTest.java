package dev.tollgate.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenAI's embeddings list shape, and base64 as little-endian float32. */
class EmbeddingsResponseTest {

  @Test
  void base64IsLittleEndianFloat32() {
    // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F; -2.0f is 0xC0000000: 00 00 00 C0
    assertEquals("AACAPwAAAMA=", EmbeddingsResponse.toBase64(new float[] {1.0f, -2.0f}));
  }

  @Test
  void base64RoundTripsEveryBit() {
    float[] vector = {0.1f, -0.000123f, Float.MIN_VALUE, 3.4028235e38f, 0f};
    assertArrayEquals(vector, EmbeddingsResponse.fromBase64(EmbeddingsResponse.toBase64(vector)));
  }

  @Test
  void base64OfAPartialFloatIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> EmbeddingsResponse.fromBase64("AACA"));
  }

  @Test
  void theListHasOneIndexedEmbeddingPerVectorAndUsage() {
    JsonNode json =
        EmbeddingsResponse.toJson(List.of(new float[] {0.5f, -0.25f}, new float[] {1f, 0f}), "text-embedding-3-small", 7, false);
    assertEquals("list", json.path("object").asText());
    assertEquals(2, json.path("data").size());
    assertEquals("embedding", json.path("data").get(1).path("object").asText());
    assertEquals(1, json.path("data").get(1).path("index").asInt());
    assertEquals(-0.25, json.path("data").get(0).path("embedding").get(1).asDouble());
    assertEquals("text-embedding-3-small", json.path("model").asText());
    assertEquals(7, json.path("usage").path("prompt_tokens").asLong());
    assertEquals(7, json.path("usage").path("total_tokens").asLong());
  }

  @Test
  void base64PutsAStringInPlaceOfTheArray() {
    JsonNode json = EmbeddingsResponse.toJson(List.of(new float[] {1.0f, -2.0f}), "m", 1, true);
    assertEquals("AACAPwAAAMA=", json.path("data").get(0).path("embedding").asText());
  }
}
