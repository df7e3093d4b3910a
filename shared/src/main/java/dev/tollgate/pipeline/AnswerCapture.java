package dev.tollgate.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.AnswerText;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.Optional;

/**
 * Keeps the answer text the client is sent ({@link Exchange#answerText()}) for the audit record
 * and the moderation queue. It sits before the response filters in the pipeline, so it sees what
 * they let through. Text past {@link #MAX_CHARS} is dropped: no consumer of it takes more.
 */
public final class AnswerCapture implements Policy {

  /** SQS takes 256 KiB per message and DynamoDB 400 KB per item; the text must fit either. */
  public static final int MAX_CHARS = 100_000;

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    Reply reply = chain.proceed(exchange);
    return switch (reply) {
      case Reply.Completion c -> {
        String text = truncate(AnswerText.ofCompletion(c.completion()));
        exchange.answerText(() -> text);
        yield c;
      }
      case Reply.Stream s -> {
        KeptText kept = new KeptText(s.chunks());
        exchange.answerText(kept::text);
        yield new Reply.Stream(kept, s.includeUsage());
      }
      default -> reply;
    };
  }

  private static String truncate(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS);
  }

  /** A stream passed through unchanged while the text it carried is kept, up to the cap. */
  private static final class KeptText implements ChunkStream {

    private final ChunkStream chunks;
    private final StringBuilder text = new StringBuilder();

    KeptText(ChunkStream chunks) {
      this.chunks = chunks;
    }

    @Override
    public Optional<ObjectNode> next() throws UpstreamFailure {
      Optional<ObjectNode> chunk = chunks.next();
      chunk.ifPresent(this::keep);
      return chunk;
    }

    private synchronized void keep(ObjectNode chunk) {
      if (text.length() < MAX_CHARS) {
        AnswerText.appendChunk(text, chunk);
        text.setLength(Math.min(text.length(), MAX_CHARS));
      }
    }

    synchronized String text() {
      return text.toString();
    }

    @Override
    public Usage usage() {
      return chunks.usage();
    }

    @Override
    public void close() {
      chunks.close();
    }
  }
}
