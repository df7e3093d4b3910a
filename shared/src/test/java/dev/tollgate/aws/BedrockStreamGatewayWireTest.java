package dev.tollgate.aws;

import static dev.tollgate.aws.BedrockEventStreamFake.exception;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streaming client behind a real gateway with {@code bedrock} targets: it gets Bedrock's
 * {@code ConverseStream} events as OpenAI server-sent chunks ending with the usage chunk, and a
 * Bedrock target throttled before its first event fails over to the next target.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS) // a safety net against a hang, not a speed check
class BedrockStreamGatewayWireTest {

  @RegisterExtension static final BedrockEventStreamFake primary = new BedrockEventStreamFake();
  @RegisterExtension static final BedrockEventStreamFake secondary = new BedrockEventStreamFake();

  private static final String STREAMING_BODY =
      """
      {"model": "chat", "stream": true, "stream_options": {"include_usage": true},
       "messages": [{"role": "user", "content": "hello"}]}
      """;

  private static GatewayHarness gateway() {
    var items =
        List.of(
            ConfigItems.apiKey(),
            ConfigItems.target(
                "chat",
                "nova",
                Map.of("provider", "bedrock", "model", "us.amazon.nova-pro-v1:0", "baseUrl", primary.baseUrl(), "priority", 1)),
            ConfigItems.target(
                "chat",
                "claude",
                Map.of(
                    "provider", "bedrock",
                    "model", "anthropic.claude-3-5-haiku-20241022-v1:0",
                    "baseUrl", secondary.baseUrl(),
                    "region", "us-west-2",
                    "priority", 2)));
    return GatewayHarness.withStandardProviders(
        new StaticConfigSource("bedrock stream test", items),
        Map.of(),
        Duration.ofMinutes(5),
        (registry, clock) -> AwsProviders.register(registry, "us-east-1", clock));
  }

  private static List<JsonNode> chunks(GatewayResponse response) {
    String events = response.bodyText();
    assertTrue(events.endsWith("data: [DONE]\n\n"), events);
    List<JsonNode> chunks = new ArrayList<>();
    for (String frame : events.split("\n\n")) {
      if (!frame.equals("data: [DONE]")) {
        assertTrue(frame.startsWith("data: "), frame);
        chunks.add(Json.parse(frame.substring("data: ".length())));
      }
    }
    return chunks;
  }

  private static String text(List<JsonNode> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
    return text.toString();
  }

  @Test
  void aStreamingClientGetsBedrocksEventsAsOpenAiChunksWithUsage() {
    primary.streams(BedrockEventStreamFake.textAnswer("end_turn", "Hello", " from", " Bedrock."));

    GatewayResponse response = gateway().chat(STREAMING_BODY);

    assertEquals(200, response.status(), response.bodyText());
    assertTrue(response.header("content-type").startsWith("text/event-stream"), response.header("content-type"));
    assertEquals("nova", response.header(Gateway.TARGET));
    assertTrue(primary.received().getFirst().rawPath().endsWith("/converse-stream"), primary.received().getFirst().rawPath());
    List<JsonNode> chunks = chunks(response);
    assertEquals("Hello from Bedrock.", text(chunks));
    assertEquals("stop", chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText());
    JsonNode usage = chunks.getLast();
    assertEquals(0, usage.path("choices").size(), "the last chunk is the usage chunk");
    assertEquals(21, usage.at("/usage/prompt_tokens").asLong());
    assertEquals(7, usage.at("/usage/completion_tokens").asLong());
    assertEquals(28, usage.at("/usage/total_tokens").asLong());
    assertEquals(0, secondary.received().size());
  }

  @Test
  void aTargetThrottledBeforeItsFirstEventFailsOverToTheNext() {
    primary.streams(exception("throttlingException", "Too many tokens, please wait before trying again."));
    secondary.streams(BedrockEventStreamFake.textAnswer("end_turn", "From the second target."));
    GatewayHarness gateway = gateway();

    GatewayResponse response = gateway.chat(STREAMING_BODY);

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("claude", response.header(Gateway.TARGET));
    assertEquals("From the second target.", text(chunks(response)));
    assertEquals(1, primary.received().size());
    assertEquals(1, secondary.received().size());
    assertEquals(1, gateway.metrics().sum(MetricNames.FALLBACKS));
  }
}
