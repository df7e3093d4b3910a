package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.AnswerText;
import java.util.Optional;

/**
 * A stream passed through unchanged while the answer text its chunks carry is kept, up to a cap:
 * for settling a stream whose upstream reported no usage, and for the audit record and the
 * moderation queue. {@link #text()} may be read from another thread.
 */
public final class TextKeepingStream implements ChunkStream {

  private final ChunkStream chunks;
  private final int maxChars;
  private final StringBuilder text = new StringBuilder();

  public TextKeepingStream(ChunkStream chunks, int maxChars) {
    this.chunks = chunks;
    this.maxChars = maxChars;
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    Optional<ObjectNode> chunk = chunks.next();
    chunk.ifPresent(this::keep);
    return chunk;
  }

  private synchronized void keep(ObjectNode chunk) {
    if (text.length() < maxChars) {
      AnswerText.appendChunk(text, chunk);
      text.setLength(Math.min(text.length(), maxChars));
    }
  }

  /** The answer text streamed so far, at most the cap. */
  public synchronized String text() {
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
