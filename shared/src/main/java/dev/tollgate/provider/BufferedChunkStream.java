package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.CompletionChunker;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** A stream replayed from a complete answer: for providers (and caches) without native streaming. */
public final class BufferedChunkStream implements ChunkStream {

  private final Iterator<ObjectNode> chunks;
  private final Usage usage;

  public BufferedChunkStream(List<ObjectNode> chunks, Usage usage) {
    this.chunks = List.copyOf(chunks).iterator();
    this.usage = usage;
  }

  /** The chunks a streaming upstream would have sent for {@code response}. */
  public static BufferedChunkStream of(UpstreamResponse response) {
    return new BufferedChunkStream(CompletionChunker.chunks(response.completion(), false), response.usage());
  }

  @Override
  public synchronized Optional<ObjectNode> next() {
    return chunks.hasNext() ? Optional.of(chunks.next()) : Optional.empty();
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public void close() {}
}
