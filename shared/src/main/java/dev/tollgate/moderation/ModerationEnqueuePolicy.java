package dev.tollgate.moderation;

import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.Metrics;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous output moderation: for a request that a guardrail with {@code output: true}
 * matches and that was answered (not an error), it records a {@code moderation}/{@code queued}
 * verdict and registers an {@link Exchange#afterComplete} hook that, once the body is over,
 * enqueues the answer the client was sent, if the status was 200 and the answer is not empty
 * ({@link #enqueues}). It sits after auth, so the audit
 * hook (registered earlier) writes the audit record first, and the moderation function finds it.
 * A failed enqueue is logged and counted; it never fails the request.
 */
public final class ModerationEnqueuePolicy implements Policy {

  public static final String STAGE = "moderation";
  private static final Logger LOG = LoggerFactory.getLogger(ModerationEnqueuePolicy.class);

  private final ModerationQueue queue;
  private final Metrics metrics;
  private final InstantSource clock;
  /** Rules already warned about (output moderation asked for, but no queue): once per rule. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public ModerationEnqueuePolicy(ModerationQueue queue, Metrics metrics, InstantSource clock) {
    this.queue = queue;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    String alias = exchange.requestedModel();
    Consumer consumer = exchange.consumer().orElse(null);
    if (consumer == null) {
      return chain.proceed(exchange);
    }
    List<GuardrailRule> rules =
        exchange.config().guardrails().stream().filter(r -> r.output() && r.matches(alias, consumer.group())).toList();
    if (rules.isEmpty()) {
      return chain.proceed(exchange);
    }
    if (!queue.enabled()) {
      rules.forEach(rule -> {
        if (warned.add(rule.name())) {
          LOG.warn("Guardrail {} asks for output moderation, but no moderation queue is configured "
              + "(TOLLGATE_MODERATION_QUEUE_URL); answers are not moderated", rule.name());
        }
      });
      return chain.proceed(exchange);
    }
    Reply reply = chain.proceed(exchange);
    if (reply instanceof Reply.Error) {
      return reply; // no answer to moderate, and the audit record should not wait for a verdict
    }
    // Decided once the body is over (status and text known) and before the final hooks run, so
    // the audit record, written first among them, says pending exactly when a message goes.
    exchange.whenComplete(() -> {
      if (exchange.status() == 200 && !exchange.answerText().isBlank()) {
        rules.forEach(rule -> exchange.verdict(new Verdict(STAGE, rule.name(), "queued", "")));
      }
    });
    exchange.afterComplete(() -> enqueue(exchange, consumer, alias, rules));
    return reply;
  }

  /**
   * Whether this exchange's answer is (or was) enqueued for moderation, once its body is over: a
   * {@code moderation}/{@code queued} verdict, recorded only for a non-empty answer sent with
   * status 200. The audit record writes {@code moderation = pending} when there is one.
   */
  public static boolean enqueues(Exchange exchange) {
    return exchange.verdicts().stream().anyMatch(v -> v.stage().equals(STAGE) && v.action().equals("queued"));
  }

  private void enqueue(Exchange exchange, Consumer consumer, String alias, List<GuardrailRule> rules) {
    if (!enqueues(exchange)) {
      return;
    }
    String text = exchange.answerText();
    for (GuardrailRule rule : rules) {
      try {
        queue.enqueue(
            ModerationMessage.of(rule, exchange.requestId(), consumer.name(), consumer.group(), alias, text, clock.instant()));
        metrics.increment(ModerationMetrics.MODERATION_ENQUEUED);
      } catch (RuntimeException e) {
        metrics.increment(ModerationMetrics.MODERATION_ENQUEUE_FAILED);
        LOG.warn("Could not enqueue request {} for moderation by guardrail {}: {}", exchange.requestId(), rule.name(),
            e.getClass().getSimpleName());
      }
    }
  }
}
