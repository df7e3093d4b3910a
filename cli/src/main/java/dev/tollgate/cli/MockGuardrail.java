package dev.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Bedrock Guardrails' {@code ApplyGuardrail} as the mock upstream answers it
 * ({@code POST /guardrail/{id}/version/{version}/apply}, Bedrock's REST-JSON shape): it
 * intervenes, as a denied topic named {@code Blocked word}, when the text contains the block
 * word (case-insensitive), for any guardrail id and version and either source.
 */
final class MockGuardrail {

  static final String BLOCKED_MESSAGE = "Sorry, the mock guardrail blocks this topic.";
  private static final Pattern PATH = Pattern.compile("/guardrail/[^/]+/version/[^/]+/apply");

  private final String blockWord;

  MockGuardrail(String blockWord) {
    this.blockWord = blockWord.toLowerCase(Locale.ROOT);
  }

  static boolean handles(String path) {
    return PATH.matcher(path).matches();
  }

  byte[] answer(byte[] request) {
    StringBuilder text = new StringBuilder();
    try {
      for (JsonNode block : Json.parse(request).path("content")) {
        text.append(block.path("text").path("text").asText()).append('\n');
      }
    } catch (IOException unreadable) {
      // an empty text passes
    }
    boolean intervene = !blockWord.isEmpty() && text.toString().toLowerCase(Locale.ROOT).contains(blockWord);
    ObjectNode answer = Json.object();
    answer.putObject("usage").put("topicPolicyUnits", 1);
    answer.put("action", intervene ? "GUARDRAIL_INTERVENED" : "NONE");
    var outputs = answer.putArray("outputs");
    var assessments = answer.putArray("assessments");
    if (intervene) {
      outputs.addObject().put("text", BLOCKED_MESSAGE);
      assessments.addObject().putObject("topicPolicy").putArray("topics").addObject()
          .put("name", "Blocked word").put("type", "DENY").put("action", "BLOCKED").put("detected", true);
    } else {
      assessments.addObject();
    }
    return Json.bytes(answer);
  }
}
