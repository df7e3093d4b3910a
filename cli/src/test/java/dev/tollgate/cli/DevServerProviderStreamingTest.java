package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tollgate.aws.BedrockContractTest;
import dev.tollgate.provider.anthropic.AnthropicContractTest;
import dev.tollgate.provider.contract.FakeServer;
import dev.tollgate.provider.contract.WireMockFakeServer;
import dev.tollgate.provider.contract.WireScript;
import dev.tollgate.provider.contract.WireScript.Tokens;
import dev.tollgate.provider.gemini.GeminiContractTest;
import dev.tollgate.provider.openai.OpenAiContractTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK streams a chat through `tollgate dev` from each provider type, the
 * upstream being a loopback server that speaks that provider's own stream format byte for byte
 * (the contract suite's wire scripts): text pieces, finish reason and usage all arrive in
 * OpenAI's chunk format.
 */
class DevServerProviderStreamingTest {

  private static final List<String> PIECES = List.of("Toll", "gate ", "streams", " natively.");
  private static final Tokens TOKENS = new Tokens(21, 4, 0);

  @TempDir Path dir;

  /**
   * A provider type, its target's model and where it lives (YAML lines under the target, the
   * fake's root URL at {@code %s}), its wire script, and the path its stream is asked on.
   */
  record Case(String provider, String model, String location, WireScript wire, String streamPath) {
    @Override
    public String toString() {
      return provider;
    }
  }

  private static final String WITH_KEY = "baseUrl: %s{path}\n        credential: env:UPSTREAM_KEY";

  static Stream<Arguments> providers() {
    return Stream.of(
        Arguments.of(new Case("openai", "some-model", WITH_KEY.replace("{path}", "/v1"),
            new OpenAiContractTest.OpenAiWire(), "/v1/chat/completions")),
        Arguments.of(new Case("anthropic", "some-model", WITH_KEY.replace("{path}", "/v1"),
            new AnthropicContractTest.AnthropicWire(), "/v1/messages")),
        Arguments.of(new Case("gemini", "some-model", WITH_KEY.replace("{path}", "/v1beta"),
            new GeminiContractTest.GeminiWire(), "/v1beta/models/some-model:streamGenerateContent")),
        // No credential: the dev server signs with the AWS credentials of its environment (the
        // test's static ones); the base URL is the endpoint override, the region the signing scope.
        Arguments.of(new Case("bedrock", "amazon.nova-pro-v1:0", "baseUrl: %s\n        region: us-west-2",
            new BedrockContractTest.BedrockWire(), "/model/amazon.nova-pro-v1%3A0/converse-stream")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void theOpenAiSdkStreamsFromEachProvider(Case provider) throws Exception {
    try (FakeServer upstream = new WireMockFakeServer()) {
      upstream.answerWith(provider.wire().streamedText(PIECES, TOKENS));
      Path config = dir.resolve(provider.provider() + ".yaml");
      Files.writeString(
          config,
          """
          models:
            streamed:
              targets:
                - id: %1$s-upstream
                  provider: %s
                  model: "%s"
                  %s
          """.formatted(provider.provider(), provider.model(), provider.location().formatted(upstream.rootUrl())));
      try (DevServer server =
          DevServer.start(
              new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.of("tg-providers"), Optional.empty(),
                  Duration.ofSeconds(15), Map.of("UPSTREAM_KEY", "sk-upstream-test")),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
        OpenAIClient client =
            OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("tg-providers").maxRetries(0).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
            client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("streamed")
                    .addUserMessage("stream from " + provider.provider())
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
          stream.stream().forEach(chunks::add);
        } finally {
          client.close();
        }

        StringBuilder text = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        for (ChatCompletionChunk chunk : chunks) {
          for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            choice.delta().content().ifPresent(text::append);
            choice.finishReason().ifPresent(f -> finishes.add(f.asString()));
          }
        }
        assertEquals(String.join("", PIECES), text.toString());
        assertEquals(List.of("stop"), finishes);
        CompletionUsage usage = chunks.getLast().usage().orElseThrow();
        assertEquals(21, usage.promptTokens());
        assertEquals(4, usage.completionTokens());
        assertTrue(chunks.size() >= PIECES.size() + 1, "one chunk per piece at least, then the usage");
        assertEquals(1, upstream.received().size(), "one upstream call");
        String path = upstream.received().getFirst().url();
        assertTrue(path.startsWith(provider.streamPath()), "streamed from " + path);
        if (provider.provider().equals("bedrock")) {
          String authorization = upstream.received().getFirst().headers().get("authorization");
          assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=test/"), authorization);
          assertTrue(authorization.contains("/us-west-2/bedrock/aws4_request"), "signed for the target's region: " + authorization);
        }
      }
    }
  }
}
