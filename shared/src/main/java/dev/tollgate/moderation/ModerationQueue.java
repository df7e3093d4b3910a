package dev.tollgate.moderation;

/** Where answers wait for output moderation (SQS in AWS). */
public interface ModerationQueue {

  /** Output moderation is off: nothing is enqueued. */
  ModerationQueue NONE =
      new ModerationQueue() {
        @Override
        public void enqueue(ModerationMessage message) {}

        @Override
        public boolean enabled() {
          return false;
        }
      };

  /** Sends one message; throws when it could not (the caller logs and counts, never fails a request). */
  void enqueue(ModerationMessage message);

  /** False when output moderation is off in this deployment. */
  default boolean enabled() {
    return true;
  }
}
