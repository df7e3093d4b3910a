package dev.tollgate.moderation.function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tollgate.moderation.GuardrailVerdict;
import dev.tollgate.moderation.InMemoryModerationStore;
import dev.tollgate.moderation.ModerationMessage;
import dev.tollgate.moderation.ModerationService;
import dev.tollgate.telemetry.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Runs sample batches through the handling path (event, JSON, service, batch response) against
 * an in-memory store and a stand-in guardrail, so a SnapStart snapshot holds loaded and warmed
 * classes. It uses no network.
 */
final class ModerationPriming {

  private ModerationPriming() {}

  /** Returns how many sample messages came out as expected (two moderated, one malformed). */
  static int run() {
    var service =
        new ModerationService(
            (id, version, text, source) -> text.contains("flag") ? new GuardrailVerdict(true, "primed", "topicPolicy:prime") : GuardrailVerdict.PASSED,
            new InMemoryModerationStore(),
            Metrics.NONE,
            Clock.systemUTC());
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(message("m1", "a kind answer"), message("m2", "flag this"), malformed("m3")));
    SQSBatchResponse response = new BatchModeration(service, Metrics.NONE).handle(event);
    List<String> failed = response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    return failed.equals(List.of("m3")) ? 3 : 3 - failed.size();
  }

  private static SQSEvent.SQSMessage message(String id, String text) {
    var body = new ModerationMessage("prime-" + id, "priming", "default", "prime", text, "prime", "DRAFT", 2, 60, Instant.now());
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(id);
    message.setBody(body.toJson());
    return message;
  }

  private static SQSEvent.SQSMessage malformed(String id) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(id);
    message.setBody("{\"requestId\":1}");
    return message;
  }
}
