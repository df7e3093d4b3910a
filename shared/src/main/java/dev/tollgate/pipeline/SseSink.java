package dev.tollgate.pipeline;

import java.io.IOException;

/** Where a streamed body goes, one whole SSE frame at a time; an edge flushes each frame. */
@FunctionalInterface
public interface SseSink {

  /** Sends one frame (an event with its blank line, or a comment); fails when the client left. */
  void send(byte[] frame) throws IOException;
}
