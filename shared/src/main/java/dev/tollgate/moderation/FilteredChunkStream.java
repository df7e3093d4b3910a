package dev.tollgate.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A streamed answer passed through a {@link TextFilter}. Every chunk is forwarded as it comes,
 * in its shape (ids, roles, tool calls, finish reasons untouched), with the {@code content} and
 * {@code refusal} text it carries replaced by what the filter releases now; the held text of a
 * choice is sent in one extra chunk just before that choice's finishing chunk (or at the end of
 * the stream). A block sends a last chunk per unfinished choice with {@code finish_reason:
 * "content_filter"}, stops reading and closes the upstream. Tool call arguments are not filtered.
 */
public final class FilteredChunkStream implements ChunkStream {

  static final String[] FIELDS = {"content", "refusal"};

  private final ChunkStream upstream;
  private final TextFilter filter;
  private final FilterTally tally;
  private final Consumer<FilterTally> onEnd;
  private final Map<Integer, Map<String, HeldText>> choices = new TreeMap<>();
  private final Map<Integer, Boolean> finished = new TreeMap<>();
  private final Deque<ObjectNode> ready = new ArrayDeque<>();
  private final AtomicBoolean reported = new AtomicBoolean();
  private ObjectNode lastHeader;
  private boolean over;
  private boolean blocked;

  /** {@code onEnd} gets the tally once, when the stream is over or closed. */
  public FilteredChunkStream(ChunkStream upstream, TextFilter filter, Consumer<FilterTally> onEnd) {
    this.upstream = upstream;
    this.filter = filter;
    this.tally = new FilterTally();
    this.onEnd = onEnd;
  }

  @Override
  public Optional<ObjectNode> next() throws UpstreamFailure {
    while (ready.isEmpty() && !over) {
      Optional<ObjectNode> chunk = upstream.next();
      if (chunk.isEmpty()) {
        over = true;
        flushAll();
      } else {
        filter(chunk.get().deepCopy()); // the upstream's chunk may be kept elsewhere (a replay, a cache): never edited in place
      }
    }
    if (ready.isEmpty()) {
      report();
      return Optional.empty();
    }
    return Optional.of(ready.poll());
  }

  /** How many characters are held back now, over all texts of the stream (read on the reading thread). */
  int held() {
    return choices.values().stream().flatMap(m -> m.values().stream()).mapToInt(HeldText::held).sum();
  }

  private void filter(ObjectNode chunk) {
    lastHeader = chunk;
    Deque<ObjectNode> before = new ArrayDeque<>();
    for (JsonNode choice : chunk.path("choices")) {
      int index = choice.path("index").asInt(0);
      finished.putIfAbsent(index, false);
      if (!(choice.path("delta") instanceof ObjectNode delta)) {
        continue;
      }
      for (String field : FIELDS) {
        JsonNode text = delta.get(field);
        if (text != null && text.isTextual()) {
          String released = held(index, field).accept(text.asText());
          if (released == null) {
            block();
            return;
          }
          delta.put(field, released);
        }
      }
      JsonNode finish = choice.get("finish_reason");
      if (finish != null && finish.isTextual()) {
        ObjectNode rest = flush(index, chunk);
        if (blocked) {
          return;
        }
        if (rest != null) {
          before.add(rest);
        }
        finished.put(index, true);
      }
    }
    ready.addAll(before);
    ready.add(chunk);
  }

  private HeldText held(int index, String field) {
    return choices.computeIfAbsent(index, i -> new TreeMap<>()).computeIfAbsent(field, f -> new HeldText(filter, tally));
  }

  /** The chunk carrying what choice {@code index} still holds, or null when it holds nothing. */
  private ObjectNode flush(int index, JsonNode header) {
    Map<String, HeldText> texts = choices.getOrDefault(index, Map.of());
    ObjectNode delta = Json.object();
    for (String field : FIELDS) {
      HeldText text = texts.get(field);
      if (text == null) {
        continue;
      }
      String rest = text.flush();
      if (rest == null) {
        block();
        return null;
      }
      if (!rest.isEmpty()) {
        delta.put(field, rest);
      }
    }
    return delta.isEmpty() ? null : chunk(header, index, delta, null);
  }

  /** The upstream ended without finishing some choices: their held text goes out all the same. */
  private void flushAll() {
    for (Integer index : choices.keySet()) {
      if (!finished.getOrDefault(index, false)) {
        ObjectNode rest = flush(index, lastHeader);
        if (blocked) {
          return;
        }
        if (rest != null) {
          ready.add(rest);
        }
      }
    }
  }

  private void block() {
    blocked = true;
    ready.clear();
    if (finished.isEmpty()) {
      finished.put(0, false);
    }
    finished.forEach((index, done) -> {
      if (!done) {
        ready.add(chunk(lastHeader, index, Json.object(), "content_filter"));
      }
    });
    over = true;
    upstream.close();
  }

  private static ObjectNode chunk(JsonNode header, int index, ObjectNode delta, String finishReason) {
    ObjectNode chunk = Json.object();
    for (String field : new String[] {"id", "object", "created", "model", "system_fingerprint"}) {
      if (header != null && header.has(field)) {
        chunk.set(field, header.get(field));
      }
    }
    ChunkHeader.addChoice(chunk, index, delta, finishReason);
    return chunk;
  }

  private void report() {
    if (reported.compareAndSet(false, true)) {
      onEnd.accept(tally);
    }
  }

  @Override
  public Usage usage() {
    return upstream.usage();
  }

  @Override
  public void close() {
    report();
    upstream.close();
  }
}
