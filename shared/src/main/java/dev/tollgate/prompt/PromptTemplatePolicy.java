package dev.tollgate.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.TollgateExtension;
import dev.tollgate.auth.Consumer;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * Expands the template a request names in {@code tollgate.template}: its messages, with the
 * request's {@code tollgate.variables} put in, come first, then the request's own messages, if any.
 * 400 {@code template_not_found} for an unknown name, 403 {@code template_not_allowed} when the
 * caller's group or the requested model may not use it, 400 {@code template_variables_missing}
 * listing every variable not given. Variables the template does not use are ignored.
 */
public final class PromptTemplatePolicy implements Policy {

  static final String STAGE = "template";

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    TollgateExtension extension = exchange.extension();
    if (extension.template().isEmpty()) {
      return chain.proceed(exchange);
    }
    String name = extension.template().get();
    Optional<PromptTemplate> found = exchange.config().prompts().template(name);
    if (found.isEmpty()) {
      // The name is the caller's text: the verdict does not repeat it.
      exchange.verdict(new Verdict(STAGE, "", "refuse", PromptErrors.TEMPLATE_NOT_FOUND));
      return Reply.error(PromptErrors.templateNotFound(name));
    }
    PromptTemplate template = found.get();
    Consumer consumer = exchange.consumer().orElseThrow();
    ObjectNode body = exchange.chatRequest().body();
    String alias = exchange.chatRequest().model();
    if (!template.match().matchesGroup(consumer.group())) {
      return refuse(exchange, template, PromptErrors.TEMPLATE_NOT_ALLOWED, PromptErrors.notForGroup(template));
    }
    if (!template.match().matchesModel(alias)) {
      return refuse(exchange, template, PromptErrors.TEMPLATE_NOT_ALLOWED, PromptErrors.notForModel(template, alias));
    }
    List<String> missing = template.missing(extension.variables());
    if (!missing.isEmpty()) {
      return refuse(
          exchange, template, PromptErrors.TEMPLATE_VARIABLES_MISSING, PromptErrors.variablesMissing(template, missing));
    }
    ArrayNode messages = template.render(extension.variables());
    JsonNode own = body.get("messages");
    if (own != null && own.isArray()) {
      messages.addAll((ArrayNode) own);
    }
    body.set("messages", messages);
    exchange.chatRequest(new ChatRequest(body));
    exchange.verdict(new Verdict(STAGE, template.name(), "expand", template.messages().size() + " messages"));
    return chain.proceed(exchange);
  }

  private static Reply refuse(Exchange exchange, PromptTemplate template, String code, dev.tollgate.api.ApiError error) {
    exchange.verdict(new Verdict(STAGE, template.name(), "refuse", code));
    return Reply.error(error);
  }
}
