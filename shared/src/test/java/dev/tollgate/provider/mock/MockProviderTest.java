package dev.tollgate.provider.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.Json;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.TestTargets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MockProviderTest {

  private static final ChatRequest HELLO =
      ChatRequestValidator.validate(Json.parse("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hello mock\"}]}"));

  private final MutableClock clock = MutableClock.startingAt("2026-05-06T07:08:09Z");
  private final MockProvider provider = new MockProvider(clock);

  private static UpstreamCall call(long latencyMs, Duration timeout) {
    Target target = TestTargets.target("echo", 1, 1, true, Map.of(MockProvider.LATENCY_MS, Long.toString(latencyMs)));
    return new UpstreamCall(target, HELLO, Optional.empty(), timeout, "req-1");
  }

  @Test
  void answersWithTheEchoAndItsUsage() throws UpstreamFailure {
    UpstreamResponse response = provider.complete(call(0, Duration.ofSeconds(1)));

    assertEquals("hello mock", response.completion().path("choices").get(0).path("message").path("content").asText());
    assertEquals("model-echo", response.completion().path("model").asText(), "the target's upstream model");
    assertEquals(clock.instant().getEpochSecond(), response.completion().path("created").asLong());
    assertEquals(Usage.fromOpenAi(response.completion().get("usage")), response.usage());
    assertEquals(response.usage().promptTokens() + response.usage().completionTokens(), response.usage().totalTokens());
  }

  @Test
  void streamsOneWordPerChunkWithTheUsageAtTheEnd() throws UpstreamFailure {
    Target target =
        TestTargets.target("echo", 1, 1, true, Map.of(MockProvider.CHUNK_INTERVAL_MS, "1"));
    StringBuilder text = new StringBuilder();
    int contentChunks = 0;
    String finish = null;
    try (var stream = provider.stream(new UpstreamCall(target, HELLO, Optional.empty(), Duration.ofSeconds(1), "req-2"))) {
      for (var chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
        var choice = chunk.get().path("choices").get(0);
        String content = choice.path("delta").path("content").asText("");
        if (!content.isEmpty()) {
          contentChunks++;
          text.append(content);
        }
        if (!choice.path("finish_reason").isNull()) {
          finish = choice.path("finish_reason").asText();
        }
      }
      assertEquals(provider.complete(call(0, Duration.ofSeconds(1))).usage(), stream.usage());
    }
    assertEquals("hello mock", text.toString());
    assertEquals(2, contentChunks, "one chunk per word");
    assertEquals("stop", finish);
  }

  @Test
  void aClosedStreamFailsTheNextRead() throws UpstreamFailure {
    var stream = provider.stream(call(0, Duration.ofSeconds(1)));
    stream.next();
    stream.close();
    assertEquals(FailureKind.NETWORK_ERROR, assertThrows(UpstreamFailure.class, stream::next).kind());
  }

  @Test
  void everyAnswerHasItsOwnId() throws UpstreamFailure {
    String first = provider.complete(call(0, Duration.ofSeconds(1))).completion().path("id").asText();
    String second = provider.complete(call(0, Duration.ofSeconds(1))).completion().path("id").asText();

    assertNotEquals(first, second);
  }

  @Test
  void aLatencyLongerThanTheTimeoutTimesOut() {
    UpstreamFailure failure = assertThrows(UpstreamFailure.class, () -> provider.complete(call(60_000, Duration.ofMillis(20))));

    assertEquals(FailureKind.TIMED_OUT, failure.kind());
    assertEquals("timed out after 20 ms", failure.detail());
  }

  @Test
  void aLatencyWithinTheTimeoutAnswers() throws UpstreamFailure {
    UpstreamResponse response = provider.complete(call(5, Duration.ofMillis(50)));

    assertEquals("hello mock", response.completion().path("choices").get(0).path("message").path("content").asText());
  }

  @Test
  void itsSpecNeedsNoUrlModelOrCredential() {
    assertEquals("mock", provider.spec().type());
    assertEquals("mock-echo", provider.spec().defaultModel());
    assertEquals(false, provider.spec().baseUrlRequired());
    assertEquals(false, provider.spec().credentialRequired());
  }
}
