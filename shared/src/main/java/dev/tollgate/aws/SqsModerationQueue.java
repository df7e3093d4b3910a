package dev.tollgate.aws;

import dev.tollgate.moderation.ModerationMessage;
import dev.tollgate.moderation.ModerationQueue;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** The moderation queue on SQS: one {@code SendMessage} per answer, the body {@link ModerationMessage#toJson()}. */
public final class SqsModerationQueue implements ModerationQueue {

  private final Supplier<SqsClient> sqs;
  private final String queueUrl;

  public SqsModerationQueue(SqsClient sqs, String queueUrl) {
    this(() -> sqs, queueUrl);
  }

  /** Builds its client on the first message: a gateway with no output moderation never pays for it. */
  public SqsModerationQueue(Supplier<SqsClient> sqs, String queueUrl) {
    this.sqs = Lazy.of(sqs);
    this.queueUrl = queueUrl;
  }

  @Override
  public void enqueue(ModerationMessage message) {
    sqs.get().sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(message.toJson()).build());
  }
}
