package dev.tollgate.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * Writes OpenAI's embeddings answer {@code {"object":"list","data":[...],"model","usage"}}. The
 * encoding is done here, at the edge, whatever the upstream sent: {@code base64} is the
 * little-endian float32 bytes of each vector, as OpenAI sends it.
 */
public final class EmbeddingsResponse {

  private EmbeddingsResponse() {}

  public static ObjectNode toJson(List<float[]> vectors, String model, long promptTokens, boolean base64) {
    ObjectNode root = Json.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (base64) {
        item.put("embedding", toBase64(vectors.get(i)));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float value : vectors.get(i)) {
          values.add(value);
        }
      }
    }
    root.put("model", model);
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("total_tokens", promptTokens);
    return root;
  }

  public static String toBase64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      bytes.putFloat(value);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  /** The reverse of {@link #toBase64}; throws {@link IllegalArgumentException} on a malformed string. */
  public static float[] fromBase64(String text) {
    byte[] raw = Base64.getDecoder().decode(text);
    if (raw.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("not a whole number of float32 values");
    }
    ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[raw.length / Float.BYTES];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = bytes.getFloat();
    }
    return vector;
  }
}
