package dev.tollgate.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.Json;

/**
 * A WireMock server on 127.0.0.1 standing in for an OpenAI-compatible upstream, with the bodies
 * of OpenAI's documented chat completions answers and errors.
 */
public final class FakeUpstream {

  private FakeUpstream() {}

  /** A WireMock extension bound to loopback only, on a free port; register it per test class. */
  public static WireMockExtension server() {
    return WireMockExtension.newInstance()
        .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
        .configureStaticDsl(false)
        .build();
  }

  /** The server's root URL by IP, so a client never tries {@code ::1} where nothing listens. */
  public static String baseUrl(WireMockExtension server) {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** A {@code chat.completion} object as OpenAI documents it. */
  public static ObjectNode completion(String model, String content, int promptTokens, int completionTokens) {
    ObjectNode completion = Json.object();
    completion.put("id", "chatcmpl-" + Integer.toHexString(content.hashCode()));
    completion.put("object", "chat.completion");
    completion.put("created", 1_741_569_952); // an int, as a parser reads it back
    completion.put("model", model);
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", content);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    ObjectNode usage = completion.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    completion.put("service_tier", "default");
    return completion;
  }

  /** A 200 answer carrying {@link #completion}. */
  public static ResponseDefinitionBuilder answers(String content) {
    return json(200, completion("upstream-model", content, 9, 12));
  }

  /** An error in OpenAI's shape {@code {"error":{message,type,param,code}}}. */
  public static ResponseDefinitionBuilder openAiError(int status, String message, String type, String code) {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    error.put("code", code);
    return json(status, root);
  }

  public static ResponseDefinitionBuilder json(int status, ObjectNode body) {
    return aResponse()
        .withStatus(status)
        .withHeader("content-type", "application/json")
        .withBody(Json.text(body));
  }
}
