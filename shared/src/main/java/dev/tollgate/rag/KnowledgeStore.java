package dev.tollgate.rag;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where knowledge bases live (the knowledge table in AWS and dev). Writes follow one protocol so a
 * crash never leaves a half-written document served: {@link #writeChunks} a new generation, then
 * {@link #commit} switches the document to it and bumps the base version in one step, then
 * {@link #deleteStaleChunks} removes the old one. Readers only see chunks of each document's
 * current generation.
 */
public interface KnowledgeStore {

  /** The base item, if the knowledge base exists. */
  Optional<KnowledgeBase> base(String kb);

  /** Every knowledge base, by name. */
  List<KnowledgeBase> bases();

  /** The documents of a knowledge base, by id (none when it does not exist). */
  List<KnowledgeDocument> documents(String kb);

  /** The base, its documents and their current chunks, consistent at one version; empty when there is no base item. */
  Optional<KnowledgeSnapshot> load(String kb);

  /** Writes the chunk items of one document's new {@code generation}; invisible until {@link #commit}. */
  void writeChunks(String kb, String documentId, long generation, List<EmbeddedChunk> chunks);

  /**
   * Makes {@code document} (with its new generation) current and bumps the base version, creating
   * the base item for {@code modelId}/{@code dimensions} if needed, all or nothing.
   *
   * @param previousGeneration the generation the caller replaces; 0 when the document is new
   * @throws ConcurrentKnowledgeChangeException when the document changed since the caller read it
   */
  void commit(String kb, KnowledgeDocument document, long previousGeneration, String modelId, int dimensions, Instant at);

  /** Deletes the document's chunk items other than its current ones (old generations, orphans of a crashed ingest). */
  void deleteStaleChunks(String kb, KnowledgeDocument current);

  /** Removes one document (item first, with a version bump, then its chunks); false when it was not there. */
  boolean removeDocument(String kb, String documentId, Instant at);

  /** Removes the whole knowledge base (base item first, so servers stop at once); false when it was not there. */
  boolean removeBase(String kb);
}
