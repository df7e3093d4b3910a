package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/** Bedrock Runtime {@code Converse} answers and errors in the REST JSON shape AWS documents. */
final class BedrockAnswers {

  static final String REQUEST_ID = "5f0c3c1e-6a6b-4b8e-9a43-2d5d0e1c7a10";

  private BedrockAnswers() {}

  /** A 200 Converse answer with the given content blocks (a JSON array) and stop reason. */
  static ResponseDefinitionBuilder converse(String contentArray, String stopReason) {
    return aResponse()
        .withStatus(200)
        .withHeader("content-type", "application/json")
        .withHeader("x-amzn-RequestId", REQUEST_ID)
        .withBody(
            """
            {"output": {"message": {"role": "assistant", "content": %s}},
             "stopReason": "%s",
             "usage": {"inputTokens": 21, "outputTokens": 7, "totalTokens": 28},
             "metrics": {"latencyMs": 412}}
            """
                .formatted(contentArray, stopReason));
  }

  static ResponseDefinitionBuilder text(String text) {
    return converse("[{\"text\": \"" + text + "\"}]", "end_turn");
  }

  /** An error as Bedrock sends it: the type in {@code x-amzn-ErrorType}, the message in the body. */
  static ResponseDefinitionBuilder error(int status, String type, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("content-type", "application/json")
        .withHeader("x-amzn-RequestId", REQUEST_ID)
        .withHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
        .withBody("{\"message\": \"" + message + "\"}");
  }
}
