package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.SseEvent;
import dev.tollgate.api.SseReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** An HTTP server-sent-event stream read on the caller's thread through a {@link StreamTranslator}. */
public final class SseChunkStream implements ChunkStream {

  private final UpstreamHttp.StreamResponse response;
  private final SseReader reader;
  private final StreamTranslator translator;
  private final Deque<ObjectNode> pending = new ArrayDeque<>();
  private volatile boolean closed;

  public SseChunkStream(UpstreamHttp.StreamResponse response, StreamTranslator translator) {
    this.response = response;
    this.reader = new SseReader(response.body());
    this.translator = translator;
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    while (pending.isEmpty()) {
      if (translator.finished()) {
        finish();
        return Optional.empty();
      }
      Optional<SseEvent> event = read();
      if (event.isEmpty()) {
        close();
        if (translator.completeAtEnd()) {
          return Optional.empty();
        }
        throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the stream ended before the answer was complete");
      }
      pending.addAll(translator.onEvent(event.get()));
    }
    return Optional.of(pending.removeFirst());
  }

  private Optional<SseEvent> read() throws UpstreamFailure {
    if (closed) {
      throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "the stream was cancelled");
    }
    try {
      return reader.next();
    } catch (IOException e) {
      // Read before close(), which sets it: only a close from elsewhere is a cancel.
      boolean cancelled = closed;
      close();
      throw UpstreamFailure.of(
          FailureKind.NETWORK_ERROR, cancelled ? "the stream was cancelled" : "the connection broke mid-stream");
    }
  }

  @Override
  public Usage usage() {
    return translator.usage();
  }

  private void finish() {
    if (!closed) {
      closed = true;
      response.finish();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    response.cancel();
  }
}
