package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tollgate.aws.DynamoDbQuotaStore;
import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.Window;
import java.time.Instant;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A limit hit end to end: `tollgate dev` with a cluster-mode request limit on its DynamoDB Local
 * counters, driven by the official OpenAI Java SDK, which sees OpenAI's rate-limit headers on every
 * answer and a 429 it maps to its RateLimitException, Retry-After included.
 */
class DevServerLimitSdkTest {

  @TempDir static Path dir;
  private static DevServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    Path config = dir.resolve("limited.yaml");
    Files.writeString(
        config,
        """
        models:
          mock:
            targets:
              - id: mock-echo
                provider: mock
          mock-stream:
            targets:
              - id: mock-stream
                provider: mock
                chunkIntervalMs: 5
        limits:
          two-per-day:             # a day, so no window boundary falls between the test's calls in practice
            metric: requests
            limit: 2
            window: 1d
            scope: [consumer]
            models: [mock]
          tokens-per-day:
            metric: totalTokens
            limit: 100000
            window: 1d
            scope: [consumer, route]
        """);
    server =
        DevServer.start(
            new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.empty(), Optional.empty(), Duration.ofSeconds(15), Map.of()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey(server.demoKey()).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  private static ChatCompletionCreateParams params() {
    return ChatCompletionCreateParams.builder().model("mock").addUserMessage("count me").maxCompletionTokens(64).build();
  }

  @Test
  void aStreamOverRealHttpIsSettledToTheUsageItReported() throws Exception {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder().model("mock-stream").addUserMessage("stream and settle").maxCompletionTokens(500)
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    long reported;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      reported = stream.stream().reduce((first, second) -> second).orElseThrow().usage().orElseThrow().totalTokens();
    }
    CounterKey counter = new CounterKey("tokens-per-day", "consumer=demo|route=mock-stream", Window.fixed(Duration.ofDays(1)));
    DynamoDbQuotaStore counters = new DynamoDbQuotaStore(server.dynamo(), "tollgate-counters");
    long counted = -1;
    // The server settles once it has written the last event, which may be just after the client read it.
    for (int i = 0; i < 100 && counted != reported; i++) {
      Thread.sleep(50);
      counted = counters.read(List.of(counter), Instant.now()).getFirst().used();
    }
    assertTrue(reported > 0 && reported < 500, "a short echo, far below the 500 reserved: " + reported);
    assertEquals(reported, counted, "the reservation moved from prompt + 500 to the reported usage");
  }

  @Test
  void theSdkSeesTheHeadersThenA429ItCanBackOffFrom() {
    HttpResponseFor<ChatCompletion> first = client.chat().completions().withRawResponse().create(params());
    assertEquals(200, first.statusCode());
    assertEquals(List.of("2"), first.headers().values("x-ratelimit-limit-requests"));
    assertEquals(List.of("1"), first.headers().values("x-ratelimit-remaining-requests"));
    assertEquals(List.of("100000"), first.headers().values("x-ratelimit-limit-tokens"));
    long tokensLeft = Long.parseLong(first.headers().values("x-ratelimit-remaining-tokens").getFirst());
    assertTrue(tokensLeft < 100_000 - 64, "the reservation (prompt + 64) is already counted: " + tokensLeft);
    assertTrue(first.parse().choices().getFirst().message().content().orElseThrow().contains("count me"));
    client.chat().completions().create(params());

    RateLimitException refused = assertThrows(RateLimitException.class, () -> client.chat().completions().create(params()));

    assertEquals(429, refused.statusCode());
    Headers headers = refused.headers();
    long retryAfter = Long.parseLong(headers.values("retry-after").getFirst());
    assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "until the day's window ends: " + retryAfter);
    assertEquals(List.of("0"), headers.values("x-ratelimit-remaining-requests"));
    assertEquals(List.of("2"), headers.values("x-ratelimit-limit-requests"));
    assertTrue(refused.getMessage().contains("two-per-day"), refused.getMessage());
    assertEquals("rate_limit_exceeded", refused.code().orElseThrow());
  }
}
