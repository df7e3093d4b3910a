package dev.tollgate.aws;

import dev.tollgate.moderation.ModerationMessage;
import dev.tollgate.moderation.ModerationQueue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** The moderation queue on SQS: one {@code SendMessage} per answer, the body {@link ModerationMessage#toJson()}. */
public final class SqsModerationQueue implements ModerationQueue {

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsModerationQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void enqueue(ModerationMessage message) {
    sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(message.toJson()).build());
  }
}
