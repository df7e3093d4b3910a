package dev.tollgate.rag;

import java.time.Instant;

/**
 * A document item of a knowledge base: the hash of the source it was made from, its title, how
 * many chunks it has and which generation of chunk items is current (older generations are being
 * or were deleted; chunks of any other generation are never served).
 */
public record KnowledgeDocument(
    String documentId, String contentHash, String title, int chunkCount, long generation, Instant ingestedAt) {}
