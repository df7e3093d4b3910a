package dev.tollgate.moderation;

import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.telemetry.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The synchronous input check: every guardrail with {@code input: true} that matches the request
 * assesses the last user message before any token is reserved. An intervention is a 400
 * {@code guardrail_blocked} carrying the guardrail's own message; a guardrail that cannot be asked
 * refuses the request (503, {@code failClosed}) or lets it pass ({@code failOpen}). Each check
 * leaves a {@link Verdict} with stage {@code guardrail}.
 */
public final class GuardrailPolicy implements Policy {

  public static final String STAGE = "guardrail";
  private static final Logger LOG = LoggerFactory.getLogger(GuardrailPolicy.class);

  private final Guardrail guardrail;
  private final Metrics metrics;

  public GuardrailPolicy(Guardrail guardrail, Metrics metrics) {
    this.guardrail = guardrail;
    this.metrics = metrics;
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    String alias = exchange.requestedModel();
    String group = exchange.consumer().map(Consumer::group).orElse("");
    String text = null;
    for (GuardrailRule rule : exchange.config().guardrails()) {
      if (!rule.input() || !rule.matches(alias, group)) {
        continue;
      }
      if (text == null) {
        text = exchange.chatRequest().lastUserText();
      }
      if (text.isBlank()) {
        exchange.verdict(new Verdict(STAGE, rule.name(), "pass", "no user text"));
        continue;
      }
      GuardrailVerdict verdict;
      try {
        verdict = guardrail.assess(rule.guardrailId(), rule.guardrailVersion(), text, GuardrailSource.INPUT);
      } catch (GuardrailUnavailableException e) {
        metrics.increment(ModerationMetrics.GUARDRAIL_UNAVAILABLE);
        boolean open = rule.onError() == GuardrailRule.OnError.FAIL_OPEN;
        LOG.warn("Guardrail {} could not check request {} ({}); {}", rule.name(), exchange.requestId(), e.getMessage(),
            open ? "failOpen: passing it on" : "failClosed: refusing it");
        exchange.verdict(new Verdict(STAGE, rule.name(), "error", open ? "unavailable, failOpen" : "unavailable, failClosed"));
        if (open) {
          continue;
        }
        return Reply.error(GuardrailErrors.unavailable(rule.name()));
      }
      if (verdict.intervened()) {
        metrics.increment(ModerationMetrics.GUARDRAIL_BLOCKED);
        exchange.verdict(new Verdict(STAGE, rule.name(), "block", verdict.policies()));
        return Reply.error(GuardrailErrors.blocked(rule.name(), verdict.reason()));
      }
      exchange.verdict(new Verdict(STAGE, rule.name(), "pass", ""));
    }
    return chain.proceed(exchange);
  }
}
