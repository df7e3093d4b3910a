package dev.tollgate.moderation;

import java.util.ArrayList;
import java.util.List;

/** A queue in memory, for tests: keeps what was enqueued. */
public final class InMemoryModerationQueue implements ModerationQueue {

  private final List<ModerationMessage> messages = new ArrayList<>();

  @Override
  public synchronized void enqueue(ModerationMessage message) {
    messages.add(message);
  }

  public synchronized List<ModerationMessage> messages() {
    return List.copyOf(messages);
  }
}
