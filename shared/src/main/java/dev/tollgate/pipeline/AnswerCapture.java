package dev.tollgate.pipeline;

import dev.tollgate.api.AnswerText;
import dev.tollgate.provider.TextKeepingStream;

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
        TextKeepingStream kept = new TextKeepingStream(s.chunks(), MAX_CHARS);
        exchange.answerText(kept::text);
        yield new Reply.Stream(kept, s.includeUsage());
      }
      default -> reply;
    };
  }

  private static String truncate(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS);
  }
}
