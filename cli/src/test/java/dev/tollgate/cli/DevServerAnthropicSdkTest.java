package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev server driven by the official Anthropic Java SDK: its base URL is the server without
 * {@code /v1} (the SDK adds {@code /v1/messages}) and its API key is the demo key, sent as
 * {@code x-api-key}. The mock model echoes, so tool use is covered at the gateway level.
 */
class DevServerAnthropicSdkTest {

  private static DevServer server;
  private static AnthropicClient client;

  @BeforeAll
  static void start() throws Exception {
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
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    client = sdk(server.demoKey());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static AnthropicClient sdk(String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + server.port())
        .apiKey(key)
        .maxRetries(0)
        .build();
  }

  private static String text(Message message) {
    return message.content().stream()
        .flatMap(block -> block.text().stream())
        .map(TextBlock::text)
        .collect(Collectors.joining());
  }

  @Test
  void aMessageFromTheMockModel() {
    Message message =
        client.messages().create(
            MessageCreateParams.builder()
                .model("mock")
                .maxTokens(256)
                .system("You are terse.")
                .addUserMessage("Tollgate speaks Anthropic")
                .build());

    assertEquals("Tollgate speaks Anthropic", text(message));
    assertEquals("mock", message.model().asString());
    assertEquals(Optional.of(StopReason.END_TURN), message.stopReason());
    assertTrue(message.usage().inputTokens() > 0);
    assertEquals(7, message.usage().outputTokens(), "the echo's 25 characters at four per token, rounded up");
  }

  @Test
  void maxTokensCutsTheAnswerAndSaysSo() {
    Message message =
        client.messages().create(
            MessageCreateParams.builder().model("mock").maxTokens(2).addUserMessage("a rather long sentence").build());

    assertEquals("a rather", text(message));
    assertEquals(Optional.of(StopReason.MAX_TOKENS), message.stopReason());
  }

  @Test
  void aStreamedMessageAccumulatesToTheSameTextAndUsage() {
    MessageCreateParams params =
        MessageCreateParams.builder().model("mock").maxTokens(256).addUserMessage("stream me please").build();
    Message whole = client.messages().create(params);
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<String> kinds = new ArrayList<>();
    StringBuilder deltas = new StringBuilder();

    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(event -> {
        accumulator.accumulate(event);
        kinds.add(kind(event));
        event.contentBlockDelta().flatMap(d -> d.delta().text()).ifPresent(t -> deltas.append(t.text()));
      });
    }

    Message streamed = accumulator.message();
    assertEquals("stream me please", deltas.toString());
    assertEquals("stream me please", text(streamed));
    assertEquals(kinds.getFirst(), "message_start");
    assertEquals(kinds.getLast(), "message_stop");
    assertEquals(Optional.of(StopReason.END_TURN), streamed.stopReason());
    assertEquals(whole.usage().inputTokens(), streamed.usage().inputTokens());
    assertEquals(whole.usage().outputTokens(), streamed.usage().outputTokens());
    assertTrue(streamed.usage().outputTokens() > 0);
    assertTrue(streamed.content().stream().allMatch(ContentBlock::isText));
  }

  private static String kind(RawMessageStreamEvent event) {
    if (event.isMessageStart()) return "message_start";
    if (event.isContentBlockStart()) return "content_block_start";
    if (event.isContentBlockDelta()) return "content_block_delta";
    if (event.isContentBlockStop()) return "content_block_stop";
    if (event.isMessageDelta()) return "message_delta";
    if (event.isMessageStop()) return "message_stop";
    return "other";
  }

  @Test
  void wrongKeyIs401() {
    AnthropicClient stranger = sdk("tg-not-a-real-key");
    try {
      UnauthorizedException e =
          assertThrows(
              UnauthorizedException.class,
              () -> stranger.messages().create(
                  MessageCreateParams.builder().model("mock").maxTokens(16).addUserMessage("hi").build()));
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
            () -> client.messages().create(
                MessageCreateParams.builder().model("no-such-model").maxTokens(16).addUserMessage("hi").build()));
    assertEquals(404, e.statusCode());
    assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
  }

  @Test
  void tooManyStopSequencesAre400NamingThem() {
    BadRequestException e =
        assertThrows(
            BadRequestException.class,
            () -> client.messages().create(
                MessageCreateParams.builder()
                    .model("mock")
                    .maxTokens(16)
                    .stopSequences(List.of("a", "b", "c", "d", "e"))
                    .addUserMessage("hi")
                    .build()));
    assertEquals(400, e.statusCode());
    assertTrue(e.getMessage().contains("stop_sequences"), e.getMessage());
  }
}
