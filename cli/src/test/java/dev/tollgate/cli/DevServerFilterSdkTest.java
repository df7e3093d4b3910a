package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters through the dev server, driven by the official OpenAI SDK: the mock echoes the prompt one
 * word per chunk, so an IBAN and a phone number arrive split across chunks and must still reach the
 * client redacted; a request-side block is an error the SDK raises.
 */
class DevServerFilterSdkTest {

  private static final String KEY = "tg-filters";

  @TempDir Path dir;

  private DevServer start() throws Exception {
    Path config = dir.resolve("filters.yaml");
    Files.writeString(
        config,
        """
        models:
          mock:
            targets:
              - {id: mock-echo, provider: mock, chunkIntervalMs: 0}
        filters:
          pii:
            pii: [email, phone, iban, card]
          code-names:
            deny: ["(?i)project\\\\s+falcon"]
            action: block
            on: request
        """);
    return DevServer.start(
        new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.of(KEY), Optional.empty(), Duration.ofSeconds(15), Map.of()),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static ChatCompletionCreateParams ask(String text) {
    return ChatCompletionCreateParams.builder().model("mock").addUserMessage(text).build();
  }

  @Test
  void theSdkReadsARedactedStreamAndARedactedAnswer() throws Exception {
    try (DevServer server = start()) {
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(KEY).maxRetries(0).build();
      String prompt = "Pay DE89 3704 0044 0532 0130 00 or call +44 20 7946 0958, mail jane@example.com today.";
      String expected = "Pay [REDACTED:iban] or call [REDACTED:phone], mail [REDACTED:email] today.";

      List<ChatCompletionChunk> chunks = new ArrayList<>();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(prompt))) {
        stream.stream().forEach(chunks::add);
      }
      StringBuilder text = new StringBuilder();
      chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
      assertEquals(expected, text.toString());
      assertTrue(chunks.size() > 5, "still streamed in pieces: " + chunks.size());
      assertEquals(ChatCompletionChunk.Choice.FinishReason.STOP,
          chunks.getLast().choices().getFirst().finishReason().orElseThrow());

      ChatCompletion whole = client.chat().completions().create(ask(prompt));
      assertEquals(expected, whole.choices().getFirst().message().content().orElseThrow());
      client.close();
    }
  }

  @Test
  void aBlockedPromptIsA400TheSdkRaises() throws Exception {
    try (DevServer server = start()) {
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(KEY).maxRetries(0).build();
      try {
        client.chat().completions().create(ask("what is Project Falcon?"));
        throw new AssertionError("the request went through");
      } catch (BadRequestException e) {
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("request_blocked") || e.body().toString().contains("request_blocked"), e.getMessage());
        assertTrue(!e.body().toString().toLowerCase().contains("falcon"), e.body().toString());
      }
      client.close();
    }
  }
}
