package dev.tollgate.pipeline;

import java.io.IOException;

/** Where a streamed body goes, one whole SSE frame at a time; an edge flushes each frame. */
public interface SseSink {

  /** Sends one frame (an event with its blank line, or a comment); fails when the client left. */
  void send(byte[] frame) throws IOException;

  /**
   * Asks to be told when the client is found gone between frames (a failed keep-alive), so the
   * body can cancel its upstream call instead of waiting for the next frame to fail.
   */
  default void whenClientGone(Runnable cancel) {}
}
