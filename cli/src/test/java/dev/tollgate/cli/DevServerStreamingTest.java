package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tollgate.api.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming through the dev server is real: the first chunk reaches the official OpenAI SDK while
 * the upstream still holds the rest, usage is forced from the upstream and handed back when the
 * client asks, and a client that hangs up cancels the upstream call.
 */
class DevServerStreamingTest {

  @TempDir Path dir;

  private DevServer start(GatedStreamUpstream upstream) throws Exception {
    Path config = dir.resolve("gated.yaml");
    Files.writeString(
        config,
        """
        models:
          gated:
            targets:
              - id: gated-upstream
                provider: openai-compatible
                model: gated-model
                baseUrl: %s
        """.formatted(upstream.baseUrl()));
    return DevServer.start(
        new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.of("tg-streaming"), Optional.empty(),
            Duration.ofSeconds(15), Map.of()),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @Test
  void theFirstChunkArrivesBeforeTheUpstreamHasFinished() throws Exception {
    try (GatedStreamUpstream upstream = new GatedStreamUpstream(false);
        DevServer server = start(upstream)) {
      OpenAIClient client =
          OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("tg-streaming").maxRetries(0).build();
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder()
              .model("gated")
              .addUserMessage("stream it")
              .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
              .build();
      List<ChatCompletionChunk> chunks = new ArrayList<>();
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
        Iterator<ChatCompletionChunk> it = stream.stream().iterator();
        ChatCompletionChunk first = it.next();
        // the upstream is still holding everything after its first chunk
        assertEquals(1, upstream.release.getCount());
        assertEquals("first ", first.choices().get(0).delta().content().orElseThrow());
        upstream.release.countDown();
        chunks.add(first);
        it.forEachRemaining(chunks::add);
      }
      StringBuilder text = new StringBuilder();
      chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
      assertEquals("first second", text.toString());
      ChatCompletionChunk last = chunks.getLast();
      assertEquals(9, last.usage().orElseThrow().totalTokens());
      assertTrue(last.choices().isEmpty());
      // the gateway asked the upstream for usage and the real model name
      var sent = Json.parse(upstream.lastRequest.get());
      assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), sent.toString());
      assertEquals("gated-model", sent.path("model").asText());
      client.close();
    }
  }

  @Test
  void withoutIncludeUsageNoUsageChunkReachesTheClient() throws Exception {
    try (GatedStreamUpstream upstream = new GatedStreamUpstream(false);
        DevServer server = start(upstream)) {
      upstream.release.countDown();
      HttpResponse<String> response = HttpClient.newHttpClient().send(request(server), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
      assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
      assertTrue(!response.body().contains("\"usage\""), response.body());
      assertEquals("gated-upstream", response.headers().firstValue("x-tollgate-target").orElseThrow());
    }
  }

  @Test
  void aClientThatHangsUpCancelsTheUpstreamCall() throws Exception {
    try (GatedStreamUpstream upstream = new GatedStreamUpstream(true);
        DevServer server = start(upstream)) {
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient().send(request(server), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        assertTrue(reader.readLine().startsWith("data: "), "the first chunk did not arrive");
      }
      upstream.release.countDown();
      assertTrue(upstream.hungUp.await(15, TimeUnit.SECONDS), "the upstream kept streaming to nobody");
    }
  }

  private static HttpRequest request(DevServer server) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
        .header("authorization", "Bearer tg-streaming")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gated\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build();
  }
}
