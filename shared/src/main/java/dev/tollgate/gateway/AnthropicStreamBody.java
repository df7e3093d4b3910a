package dev.tollgate.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.anthropic.AnthropicSse;
import dev.tollgate.api.anthropic.MessageStreamTranslator;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.SseSink;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@link ChunkStream} the way Anthropic streams a message, named events from
 * {@code message_start} to {@code message_stop}. An upstream that breaks after the first chunk
 * ends the stream with an {@code error} event; as for OpenAI clients, the usage read so far goes
 * to the exchange and its completion hooks run once the body is over, however it ended.
 */
final class AnthropicStreamBody extends ChunkStreamBody {

  private final MessageStreamTranslator translator;

  AnthropicStreamBody(ChunkStream chunks, String alias, Exchange exchange) {
    super(chunks, exchange);
    this.translator = new MessageStreamTranslator(alias);
  }

  @Override
  void writeChunks(ChunkStream chunks, SseSink sink) throws IOException, UpstreamFailure {
    for (Optional<ObjectNode> next = chunks.next(); next.isPresent(); next = chunks.next()) {
      if (!translator.started()) {
        // the first chunk names the message
        sink.send(AnthropicSse.frame(translator.start(next.get().path("id").asText(""), chunks.usage())));
      }
      send(sink, translator.chunk(next.get()));
    }
    if (!translator.started()) {
      sink.send(AnthropicSse.frame(translator.start("", chunks.usage())));
    }
    send(sink, translator.finish(chunks.usage()));
  }

  @Override
  void writeBroken(String message, SseSink sink) throws IOException {
    sink.send(AnthropicSse.frame(MessageStreamTranslator.error(message)));
  }

  private static void send(SseSink sink, List<ObjectNode> events) throws IOException {
    for (ObjectNode event : events) {
      sink.send(AnthropicSse.frame(event));
    }
  }
}
