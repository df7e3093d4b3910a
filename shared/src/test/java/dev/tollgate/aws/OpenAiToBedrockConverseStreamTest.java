package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;

/**
 * A {@code ConverseStream} request carries everything the {@code Converse} translation sets, so a
 * field added to the translation later cannot silently go missing from streams.
 */
class OpenAiToBedrockConverseStreamTest {

  private static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  @Test
  void everyFieldTheConverseTranslationSetsIsInTheStreamRequest() throws Exception {
    ObjectNode body =
        (ObjectNode)
            Json.parse(
                """
                {"model": "chat", "stream": true, "max_tokens": 300, "temperature": 0.5, "top_p": 0.25, "stop": ["END"],
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "user", "content": [
                     {"type": "text", "text": "What is in this image?"},
                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
                   {"role": "assistant", "content": "",
                    "tool_calls": [{"id": "tooluse_1", "type": "function",
                      "function": {"name": "weather", "arguments": "{\\"city\\":\\"Paris\\"}"}}]},
                   {"role": "tool", "tool_call_id": "tooluse_1", "content": "{\\"temp\\":21.5}"}],
                 "tools": [{"type": "function", "function": {"name": "weather", "description": "Forecast",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
                 "tool_choice": "required"}
                """);

    ConverseRequest converse = OpenAiToBedrockConverse.translate(body, MODEL);
    ConverseStreamRequest stream = OpenAiToBedrockConverse.translateForStream(body, MODEL);

    Map<String, Object> set = setFields(converse);
    assertTrue(set.keySet().containsAll(List.of("modelId", "messages", "system", "toolConfig", "inferenceConfig")), set.keySet().toString());
    assertEquals(set, setFields(stream));
  }

  /** The fields with a value (an SDK list or map the builder never touched counts as unset). */
  private static Map<String, Object> setFields(SdkPojo request) {
    Map<String, Object> values = new HashMap<>();
    for (SdkField<?> field : request.sdkFields()) {
      Object value = field.getValueOrDefault(request);
      if (value == null
          || value instanceof SdkAutoConstructList<?>
          || value instanceof SdkAutoConstructMap<?, ?>) {
        continue;
      }
      values.put(field.memberName(), value);
    }
    return values;
  }
}
