package dev.tollgate.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.embedding.Vectors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The recent answers of one semantic bucket (same scope, alias, parameters and conversation but
 * the last user message): each entry's exact key and the vector of the last user message it
 * answered. Kept as one cache store item, newest {@link #MAX_ENTRIES} only, so a lookup is one
 * read and a cosine over at most that many vectors. Vectors of another model are never compared.
 */
record SemanticIndex(String model, List<Entry> entries) {

  /** 32 vectors of 1,024 float32 (Titan) are about 175 KB of base64: one item holds them. */
  static final int MAX_ENTRIES = 32;

  static final SemanticIndex EMPTY = new SemanticIndex("", List.of());

  /** One remembered answer: where it is stored, when, and what it answered. */
  record Entry(String key, Instant storedAt, float[] vector) {}

  /** The closest fresh entry of {@code model} at or above {@code threshold}. */
  record Match(String key, double similarity) {}

  SemanticIndex {
    entries = List.copyOf(entries);
  }

  Optional<Match> best(float[] vector, String model, double threshold, Instant oldest) {
    if (!this.model.equals(model)) {
      return Optional.empty();
    }
    return entries.stream()
        .filter(e -> e.storedAt().isAfter(oldest) && e.vector().length == vector.length)
        .map(e -> new Match(e.key(), Vectors.dot(vector, e.vector())))
        .filter(m -> m.similarity() >= threshold)
        .max(Comparator.comparingDouble(Match::similarity));
  }

  /** This index with {@code entry} added, entries older than {@code oldest} and the oldest over the cap dropped. */
  SemanticIndex with(Entry entry, String model, Instant oldest) {
    List<Entry> kept = new ArrayList<>();
    if (this.model.equals(model)) {
      entries.stream()
          .filter(e -> e.storedAt().isAfter(oldest) && !e.key().equals(entry.key()))
          .forEach(kept::add);
    }
    kept.add(entry);
    kept.sort(Comparator.comparing(Entry::storedAt));
    List<Entry> newest = kept.subList(Math.max(0, kept.size() - MAX_ENTRIES), kept.size());
    return new SemanticIndex(model, newest);
  }

  static Instant oldest(Instant now, Duration ttl) {
    return now.minus(ttl);
  }

  String toJson() {
    ObjectNode root = Json.object();
    root.put("model", model);
    var list = root.putArray("entries");
    for (Entry e : entries) {
      ObjectNode item = list.addObject();
      item.put("key", e.key());
      item.put("at", e.storedAt().toEpochMilli());
      item.put("v", encode(e.vector()));
    }
    return root.toString();
  }

  /** The index an item holds; a damaged one is read as empty (the cache only loses hits). */
  static SemanticIndex fromJson(String text) {
    JsonNode root = Json.parseOrNull(text);
    if (root == null || !root.path("entries").isArray()) {
      return EMPTY;
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode item : root.path("entries")) {
      try {
        entries.add(new Entry(item.path("key").asText(), Instant.ofEpochMilli(item.path("at").asLong()),
            decode(item.path("v").asText())));
      } catch (IllegalArgumentException damaged) {
        // skip the entry, keep the rest
      }
    }
    return new SemanticIndex(root.path("model").asText(""), entries);
  }

  private static String encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static float[] decode(String text) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[bytes.remaining() / Float.BYTES];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = bytes.getFloat();
    }
    return vector;
  }
}
