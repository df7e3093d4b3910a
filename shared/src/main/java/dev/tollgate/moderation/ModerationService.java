package dev.tollgate.moderation;

import dev.tollgate.telemetry.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moderates one enqueued answer: asks the guardrail (OUTPUT), writes the outcome to the request's
 * audit record, and for a flagged answer counts the flag against the consumer in the message's
 * window, disabling the consumer's keys once {@code disableAfterFlags} is reached. Anything that
 * should be tried again (guardrail unreachable, audit record not written yet) throws
 * {@link ModerationRetryException}; every step is safe to repeat.
 */
public final class ModerationService {

  private static final Logger LOG = LoggerFactory.getLogger(ModerationService.class);

  /** What moderating one message did. */
  public enum Result {
    PASSED,
    FLAGGED,
    /** Flagged, and this flag reached the consumer's {@code disableAfterFlags}. */
    FLAGGED_AND_DISABLED
  }

  private final Guardrail guardrail;
  private final ModerationStore store;
  private final Metrics metrics;
  private final InstantSource clock;

  public ModerationService(Guardrail guardrail, ModerationStore store, Metrics metrics, InstantSource clock) {
    this.guardrail = guardrail;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  public Result moderate(ModerationMessage message) throws ModerationRetryException {
    GuardrailVerdict verdict;
    try {
      verdict = guardrail.assess(message.guardrailId(), message.guardrailVersion(), message.text(), GuardrailSource.OUTPUT);
    } catch (GuardrailUnavailableException e) {
      throw new ModerationRetryException("guardrail " + message.guardrailId() + " could not be asked: " + e.getMessage(), e);
    }
    ModerationOutcome outcome =
        new ModerationOutcome(
            verdict.intervened() ? ModerationOutcome.FLAGGED : ModerationOutcome.PASSED,
            message.guardrailId(),
            message.guardrailVersion(),
            verdict.reason(),
            verdict.policies(),
            clock.instant());
    if (!store.recordOutcome(message.requestId(), outcome)) {
      throw new ModerationRetryException("the audit record of request " + message.requestId() + " is not there yet", null);
    }
    if (!verdict.intervened()) {
      metrics.increment(ModerationMetrics.MODERATION_PASSED);
      return Result.PASSED;
    }
    metrics.increment(ModerationMetrics.MODERATION_FLAGGED);
    Duration window = Duration.ofSeconds(message.flagWindowSeconds());
    Instant windowStart = windowStart(message.at(), window);
    long flags = store.countFlag(message.consumer(), windowStart, window, message.requestId());
    LOG.info("Request {} of consumer {} flagged by guardrail {} ({}); {} flag(s) in the window from {}",
        message.requestId(), message.consumer(), message.guardrailId(), verdict.policies(), flags, windowStart);
    if (message.disableAfterFlags() > 0 && flags >= message.disableAfterFlags()) {
      int keys = store.disableConsumer(message.consumer());
      metrics.increment(ModerationMetrics.CONSUMERS_DISABLED);
      LOG.warn("Consumer {} disabled ({} key(s)): {} flagged answers in {} reached disableAfterFlags {}",
          message.consumer(), keys, flags, window, message.disableAfterFlags());
      return Result.FLAGGED_AND_DISABLED;
    }
    return Result.FLAGGED;
  }

  /** Flag windows are fixed and aligned to the epoch, like fixed limit windows. */
  static Instant windowStart(Instant at, Duration window) {
    long seconds = window.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), seconds) * seconds);
  }
}
