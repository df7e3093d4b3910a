package dev.tollgate.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import dev.tollgate.auth.Consumer;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ValidatedConfig;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.ValidationPolicy;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.testing.StandardProviders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation and the three prompt policies over config made from items, ending in a stand-in
 * upstream that keeps the body it was handed: what a request becomes, and what each policy decided.
 */
final class PromptPipeline {

  /** What one request came to: the reply, the body that reached the upstream (null if none), the verdicts. */
  record Run(Reply reply, ObjectNode sent, List<Verdict> verdicts) {

    ApiError error() {
      return ((Reply.Error) reply).error();
    }

    boolean reachedUpstream() {
      return sent != null;
    }

    /** The messages that reached the upstream, as compact JSON. */
    String messages() {
      return Json.text(sent.get("messages"));
    }
  }

  private final GatewayConfig config;

  PromptPipeline(ConfigItem... items) {
    ValidatedConfig validated = new ConfigValidator(StandardProviders.registry()).validate(List.of(items), Instant.EPOCH);
    assertEquals(List.of(), validated.errors());
    this.config = validated.config();
  }

  /** Runs {@code body} (single quotes stand for double) as a key of group {@code default} would send it. */
  Run run(String body) {
    return run("default", body);
  }

  Run run(String group, String body) {
    return run(group, body, new ValidationPolicy());
  }

  Run run(String group, String body, ValidationPolicy validation) {
    byte[] bytes = body.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    Exchange exchange =
        new Exchange(new GatewayRequest("POST", "/v1/chat/completions", Map.of(), bytes, "req-1"), System.nanoTime(), config);
    exchange.consumer(new Consumer("alice", group, Set.of("*"), true));
    ObjectNode[] sent = new ObjectNode[1];
    Pipeline pipeline =
        new Pipeline(
            List.of(
                validation,
                new PromptTemplatePolicy(),
                new PromptDecoratorPolicy(),
                new PromptGuardPolicy(),
                (e, chain) -> {
                  sent[0] = e.chatRequest().body().deepCopy();
                  return Reply.json(Json.object());
                }));
    Reply reply = pipeline.run(exchange);
    return new Run(reply, sent[0], exchange.verdicts());
  }

  /** A chat body for alias {@code chat} with these messages (single quotes stand for double). */
  static String chat(String messages) {
    return "{'model': 'chat', 'messages': " + messages + "}";
  }

  /** One user message. */
  static String user(String text) {
    return chat("[{'role': 'user', 'content': '" + text + "'}]");
  }
}
