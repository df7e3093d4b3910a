package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dev server, started as `tollgate dev` starts it, driven by the official OpenAI Java SDK. */
class DevServerOpenAiSdkTest {

  private static DevServer server;
  private static OpenAIClient client;
  private static String printed;

  @BeforeAll
  static void start() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    server =
        DevServer.start(
            new DevServer.Options(
                Optional.of(Path.of("..", "config", "dev.yaml")),
                "127.0.0.1",
                0,
                Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(15),
                Map.of()),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    printed = out.toString(StandardCharsets.UTF_8);
    client = sdk(server.demoKey());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static OpenAIClient sdk(String key) {
    return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(key).maxRetries(0).build();
  }

  @Test
  void printsTheDemoKeyOnOneLineAndItIsTheKeyThatWorks() {
    List<String> keyLines = printed.lines().filter(l -> l.startsWith("Demo API key: ")).toList();
    assertEquals(List.of("Demo API key: " + server.demoKey()), keyLines);
    assertTrue(server.demoKey().startsWith("tg-"));
  }

  @Test
  void chatCompletionFromTheMockModel() {
    ChatCompletion completion =
        client.chat().completions().create(
            ChatCompletionCreateParams.builder()
                .model("mock")
                .addSystemMessage("You are terse.")
                .addUserMessage("Tollgate says hello")
                .temperature(0.0)
                .build());
    assertEquals("Tollgate says hello", completion.choices().getFirst().message().content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, completion.choices().getFirst().finishReason());
    var usage = completion.usage().orElseThrow();
    assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
  }

  @Test
  void streamingDeliversChunksThenUsage() {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder()
            .model("mock")
            .addUserMessage("stream me please")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .build();
    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
      });
    }
    assertEquals("stream me please", text.toString());
    ChatCompletionChunk last = chunks.getLast();
    assertTrue(last.choices().isEmpty(), "the usage chunk has no choices");
    assertTrue(last.usage().orElseThrow().totalTokens() > 0);
  }

  @Test
  void modelsListShowsAliasesWithAnEnabledTarget() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertTrue(ids.contains("mock"), ids.toString());
    // deepseek-chat falls back to the echo model, so it is usable without a key
    assertTrue(ids.contains("deepseek-chat"), ids.toString());
    // gpt-4o-mini has only an OpenAI target, switched off without OPENAI_API_KEY
    assertTrue(!ids.contains("gpt-4o-mini"), ids.toString());
  }

  @Test
  void wrongKeyIs401() {
    OpenAIClient stranger = sdk("tg-not-a-real-key");
    try {
      UnauthorizedException e =
          assertThrows(UnauthorizedException.class, () -> stranger.models().list());
      assertEquals(401, e.statusCode());
      assertTrue(e.getMessage().contains("Invalid API key"), e.getMessage());
    } finally {
      stranger.close();
    }
  }

  @Test
  void unknownModelIs404() {
    NotFoundException e =
        assertThrows(
            NotFoundException.class,
            () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("hi").build()));
    assertEquals(404, e.statusCode());
    assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
  }

  @Test
  void invalidParameterIs400NamingIt() {
    BadRequestException e =
        assertThrows(
            BadRequestException.class,
            () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("mock").addUserMessage("hi").temperature(7.0).build()));
    assertEquals(400, e.statusCode());
    assertTrue(e.getMessage().contains("temperature"), e.getMessage());
  }

  @Test
  void embeddingsFromTheMockModel() {
    CreateEmbeddingResponse response =
        client.embeddings().create(
            EmbeddingCreateParams.builder()
                .model("embed")
                .inputOfArrayOfStrings(List.of("Tollgate says hello", "something else", "Tollgate says hello"))
                .build());
    assertEquals(3, response.data().size());
    List<Float> first = response.data().get(0).embedding();
    assertEquals(64, first.size());
    assertEquals(first, response.data().get(2).embedding(), "the mock embeds the same text the same way");
    assertTrue(!first.equals(response.data().get(1).embedding()));
    assertEquals(2, response.data().get(2).index());
    assertEquals("mock-embed", response.model());
    assertTrue(response.usage().promptTokens() > 0);
    assertEquals(response.usage().promptTokens(), response.usage().totalTokens());
  }

  @Test
  void embeddingsAsBase64WithDimensions() {
    CreateEmbeddingResponse asFloats =
        client.embeddings().create(
            EmbeddingCreateParams.builder().model("embed").input("base64 please").dimensions(16).build());
    CreateEmbeddingResponse asBase64 =
        client.embeddings().create(
            EmbeddingCreateParams.builder()
                .model("embed")
                .input("base64 please")
                .dimensions(16)
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                .build());
    assertEquals(16, asFloats.data().getFirst().embedding().size());
    assertEquals(asFloats.data().getFirst().embedding(), asBase64.data().getFirst().embedding());
  }

  @Test
  void tokenInputForTheMockIs400NamingInput() {
    BadRequestException e =
        assertThrows(
            BadRequestException.class,
            () -> client.embeddings().create(
                EmbeddingCreateParams.builder().model("embed").inputOfArrayOfTokens(List.of(15339L, 1917L)).build()));
    assertEquals(400, e.statusCode());
    assertTrue(e.getMessage().contains("input"), e.getMessage());
  }
}
