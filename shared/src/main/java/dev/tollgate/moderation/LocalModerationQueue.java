package dev.tollgate.moderation;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation queue of the dev server: messages go to the same {@link ModerationService} the
 * moderation function runs, on a background thread of this process. A message that fails is
 * tried again after a pause, like SQS's redelivery, and after {@link #MAX_ATTEMPTS} it is logged
 * and dropped (where SQS would move it to the dead-letter queue).
 */
public final class LocalModerationQueue implements ModerationQueue, AutoCloseable {

  public static final int MAX_ATTEMPTS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(LocalModerationQueue.class);

  private final ModerationService service;
  private final Duration retryDelay;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("moderation").factory());

  public LocalModerationQueue(ModerationService service, Duration retryDelay) {
    this.service = service;
    this.retryDelay = retryDelay;
  }

  @Override
  public void enqueue(ModerationMessage message) {
    executor.execute(() -> attempt(message, 1));
  }

  private void attempt(ModerationMessage message, int attempt) {
    try {
      ModerationService.Result result = service.moderate(message);
      LOG.info("Moderated request {}: {}", message.requestId(), result);
    } catch (ModerationRetryException | RuntimeException e) {
      if (attempt >= MAX_ATTEMPTS) {
        LOG.error("Gave up moderating request {} after {} attempts: {}", message.requestId(), attempt, e.getMessage());
        return;
      }
      LOG.info("Moderating request {} failed (attempt {}), retrying: {}", message.requestId(), attempt, e.getMessage());
      executor.schedule(() -> attempt(message, attempt + 1), retryDelay.toMillis() * attempt, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
