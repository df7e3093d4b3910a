package dev.tollgate.moderation.function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tollgate.moderation.ModerationMessage;
import dev.tollgate.moderation.ModerationMetrics;
import dev.tollgate.moderation.ModerationRetryException;
import dev.tollgate.moderation.ModerationService;
import dev.tollgate.telemetry.Metrics;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Moderates one SQS batch, message by message, and reports the ones that failed by id
 * ({@code batchItemFailures}), so only those return to the queue; after the queue's
 * {@code maxReceiveCount} they go to the dead-letter queue. A body that is not a moderation
 * message fails too, and ends there. Logs name the request and the reason, never the text.
 */
final class BatchModeration {

  private static final Logger LOG = LoggerFactory.getLogger(BatchModeration.class);
  /** The JSON log field Powertools documents for a correlation id. */
  static final String CORRELATION_ID = "correlation_id";

  private final ModerationService service;
  private final Metrics metrics;

  BatchModeration(ModerationService service, Metrics metrics) {
    this.service = service;
    this.metrics = metrics;
  }

  SQSBatchResponse handle(SQSEvent event) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
    for (SQSEvent.SQSMessage record : records) {
      if (!moderate(record)) {
        failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(record.getMessageId()).build());
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private boolean moderate(SQSEvent.SQSMessage record) {
    ModerationMessage message;
    try {
      message = ModerationMessage.fromJson(record.getBody());
    } catch (ModerationMessage.Malformed e) {
      metrics.increment(ModerationMetrics.MODERATION_FAILED);
      LOG.error("Message {} is not a moderation message ({}); it will end in the dead-letter queue", record.getMessageId(), e.getMessage());
      return false;
    }
    MDC.put(CORRELATION_ID, message.requestId());
    try {
      service.moderate(message);
      return true;
    } catch (ModerationRetryException e) {
      metrics.increment(ModerationMetrics.MODERATION_FAILED);
      LOG.warn("Moderating request {} (message {}) failed and will be retried: {}", message.requestId(), record.getMessageId(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      metrics.increment(ModerationMetrics.MODERATION_FAILED);
      LOG.error("Moderating request {} (message {}) failed and will be retried", message.requestId(), record.getMessageId(), e);
      return false;
    } finally {
      MDC.remove(CORRELATION_ID);
    }
  }
}
