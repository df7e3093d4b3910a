package dev.tollgate.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tollgate.api.Json;
import dev.tollgate.testing.FakeUpstream;

/** Bodies Gemini's API documents for {@code generateContent}, for a WireMock stand-in to send. */
final class GeminiAnswers {

  private GeminiAnswers() {}

  /** A one-candidate text answer with usage, as {@code gemini-2.5-flash} sends it. */
  static ObjectNode text(String text, String finishReason) {
    return (ObjectNode)
        Json.parse(
            """
            {"candidates": [{"content": {"parts": [{"text": %s}], "role": "model"},
                             "finishReason": "%s", "index": 0}],
             "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": 7, "totalTokenCount": 18,
                               "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 11}]},
             "modelVersion": "gemini-2.5-flash",
             "responseId": "mGkAaYTqF4mUxN8P"}
            """
                .formatted(Json.text(Json.mapper().getNodeFactory().textNode(text)), finishReason));
  }

  static ResponseDefinitionBuilder answers(String text) {
    return FakeUpstream.json(200, text(text, "STOP"));
  }

  /** Google's error shape {@code {"error":{code,message,status}}}. */
  static ResponseDefinitionBuilder error(int status, String message, String grpcStatus) {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("code", status);
    error.put("message", message);
    error.put("status", grpcStatus);
    return FakeUpstream.json(status, root);
  }
}
