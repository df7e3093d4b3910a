package dev.tollgate.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every matching prompt guard, in name order, over what the caller sent (a template's
 * expansion included): decorator messages are the operator's own and are not checked, so an
 * appended message can never stand in for the caller's last one. Each guard leaves a verdict
 * ({@code pass}, {@code flag} or {@code block}); the first block answers 400 {@code prompt_blocked}.
 */
public final class PromptGuardPolicy implements Policy {

  static final String STAGE = "guard";
  private static final Logger LOG = LoggerFactory.getLogger(PromptGuardPolicy.class);

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    Consumer consumer = exchange.consumer().orElseThrow();
    String alias = exchange.chatRequest().model();
    List<PromptGuard> guards = exchange.config().prompts().guardsFor(alias, consumer.group());
    if (guards.isEmpty()) {
      return chain.proceed(exchange);
    }
    JsonNode messages = exchange.chatRequest().body().path("messages");
    List<PromptDecorator> decorators = PromptDecoratorPolicy.matching(exchange);
    int from = decorators.stream().mapToInt(decorator -> decorator.prepend().size()).sum();
    int to = messages.size() - decorators.stream().mapToInt(decorator -> decorator.append().size()).sum();
    for (PromptGuard guard : guards) {
      Optional<String> violation = guard.violation(messages, from, to);
      if (violation.isEmpty()) {
        exchange.verdict(new Verdict(STAGE, guard.name(), "pass", ""));
      } else if (guard.action() == PromptGuard.Action.FLAG) {
        exchange.verdict(new Verdict(STAGE, guard.name(), "flag", violation.get()));
        LOG.info("Prompt guard {} flagged a request of consumer {}: {}", guard.name(), consumer.name(), violation.get());
      } else {
        exchange.verdict(new Verdict(STAGE, guard.name(), "block", violation.get()));
        LOG.info("Prompt guard {} blocked a request of consumer {}: {}", guard.name(), consumer.name(), violation.get());
        return Reply.error(PromptErrors.blocked(guard));
      }
    }
    return chain.proceed(exchange);
  }
}
