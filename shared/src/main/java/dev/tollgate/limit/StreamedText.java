package dev.tollgate.limit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.AnswerText;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.Optional;

/**
 * A stream passed through unchanged while the answer text it carried is kept, so a stream whose
 * upstream never reported usage (cut before its last event, or a server that sends none) is still
 * settled to what was streamed.
 */
final class StreamedText implements ChunkStream {

  private final ChunkStream chunks;
  private final StringBuilder text = new StringBuilder();

  StreamedText(ChunkStream chunks) {
    this.chunks = chunks;
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    Optional<ObjectNode> chunk = chunks.next();
    chunk.ifPresent(this::keep);
    return chunk;
  }

  private synchronized void keep(ObjectNode chunk) {
    AnswerText.appendChunk(text, chunk);
  }

  /** The answer text streamed so far. */
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
