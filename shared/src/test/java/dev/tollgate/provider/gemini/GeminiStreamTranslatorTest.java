package dev.tollgate.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SseEvent;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link GeminiStreamTranslator} makes of Gemini stream events beyond the adapter contract. */
class GeminiStreamTranslatorTest {

  private static List<ObjectNode> feed(GeminiStreamTranslator translator, String data) throws UpstreamFailure {
    return translator.onEvent(new SseEvent("", data));
  }

  private static GeminiStreamTranslator translator(int candidates) {
    return new GeminiStreamTranslator("req-7", "gemini-2.5-pro", 1_767_000_000, candidates);
  }

  @Test
  void aBlockedPromptEndsTheStreamAsContentFiltered() throws UpstreamFailure {
    GeminiStreamTranslator translator = translator(1);

    List<ObjectNode> chunks =
        feed(translator, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}");

    assertEquals(1, chunks.size());
    assertEquals("content_filter", chunks.getFirst().at("/choices/0/finish_reason").asText());
    assertEquals("assistant", chunks.getFirst().at("/choices/0/delta/role").asText());
    assertEquals("chatcmpl-gemini-req-7", chunks.getFirst().path("id").asText(), "no responseId: the request id");
    assertEquals("gemini-2.5-pro", chunks.getFirst().path("model").asText());
    assertTrue(translator.finished());
    assertEquals(8, translator.usage().promptTokens());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"MAX_TOKENS, length", "SAFETY, content_filter", "RECITATION, content_filter", "STOP, stop"})
  void finishReasonsAreMappedAsForWholeAnswers(String gemini, String openAi) throws UpstreamFailure {
    GeminiStreamTranslator translator = translator(1);

    List<ObjectNode> chunks =
        feed(translator, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}],\"role\":\"model\"},\"finishReason\":\"" + gemini + "\",\"index\":0}]}");

    assertEquals(openAi, chunks.getLast().at("/choices/0/finish_reason").asText());
    assertTrue(translator.finished());
  }

  @Test
  void withTwoCandidatesTheStreamEndsWhenBothFinished() throws UpstreamFailure {
    GeminiStreamTranslator translator = translator(2);

    List<ObjectNode> first =
        feed(translator, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A\"}]},\"index\":0,\"finishReason\":\"STOP\"},"
            + "{\"content\":{\"parts\":[{\"text\":\"B\"}]},\"index\":1}]}");
    assertFalse(translator.finished(), "candidate 1 has not finished");
    List<ObjectNode> second = feed(translator, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"index\":1,\"finishReason\":\"STOP\"}]}");

    assertTrue(translator.finished());
    assertEquals(List.of(0, 0, 1), first.stream().map(c -> c.at("/choices/0/index").asInt()).toList());
    assertEquals("assistant", first.get(2).at("/choices/0/delta/role").asText(), "each choice gets its role");
    assertFalse(second.getFirst().at("/choices/0/delta").has("role"));
    assertEquals("b", second.getFirst().at("/choices/0/delta/content").asText());
  }

  @Test
  void thoughtSummariesAreLeftOut() throws UpstreamFailure {
    List<ObjectNode> chunks =
        feed(translator(1), "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"pondering\",\"thought\":true},{\"text\":\"Answer.\"}]},\"index\":0}]}");

    assertEquals(1, chunks.size());
    assertEquals("Answer.", chunks.getFirst().at("/choices/0/delta/content").asText());
  }

  @Test
  void anErrorInsideTheStreamFailsIt() {
    UpstreamFailure failure =
        assertThrows(
            UpstreamFailure.class,
            () -> feed(translator(1), "{\"error\":{\"code\":429,\"message\":\"Resource exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));

    assertEquals(FailureKind.RATE_LIMITED, failure.kind());
  }
}
