package dev.tollgate.pipeline;

import java.io.IOException;

/**
 * A response body produced while it is sent. An edge that can stream hands it a sink that flushes
 * every frame; an edge that cannot collects the frames into one complete body. Runs once.
 */
@FunctionalInterface
public interface SseBody {

  /**
   * Writes every frame. An {@link IOException} from the sink (the client disconnected) ends the
   * body early, cancelling the upstream call, and is rethrown.
   */
  void writeTo(SseSink sink) throws IOException;
}
