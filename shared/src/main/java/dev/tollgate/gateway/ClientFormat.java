package dev.tollgate.gateway;

import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Reply;

/** The wire format a client speaks: how a {@link Reply} is rendered for it. */
@FunctionalInterface
interface ClientFormat {

  ReplyRenderer.Rendered render(Reply reply, Exchange exchange);

  static ClientFormat openAi() {
    return ReplyRenderer::render;
  }

  static ClientFormat anthropic() {
    return AnthropicRenderer::render;
  }
}
