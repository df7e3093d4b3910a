package dev.tollgate.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.moderation.FilterPolicy.Action;
import dev.tollgate.moderation.FilterPolicy.Side;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Streams: matches split across chunks are caught, the holdback stays within its bound, chunk shape is kept. */
class FilteredChunkStreamTest {

  private static final ChunkHeader HEADER = new ChunkHeader("chatcmpl-1", 1700000000L, "m");
  /** Every built-in type, with look-alikes between them. */
  static final String SAMPLE =
      "Mail jane.doe@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111 (not 4111 1111 1111 1112), "
          + "IBAN DE89 3704 0044 0532 0130 00, key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY. "
          + "Released 2024-01-15, v1.2.3. Done";

  static FilterPolicy policy(String name, Action action, List<Detector> detectors, int maxMatchChars) {
    return new FilterPolicy(name, detectors, action, Side.RESPONSE, Set.of(), Set.of(), maxMatchChars);
  }

  static FilterPolicy allPii(Action action) {
    return policy("pii", action, Arrays.stream(PiiType.values()).map(PiiType::detector).toList(), 256);
  }

  static Detector deny(String pattern) {
    return new Detector(Pattern.compile(pattern), "deny[0]", "[REDACTED:deny]", Detector.UNBOUNDED);
  }

  /** A scripted upstream: a role chunk, one content chunk per piece, a finish chunk; counts what was read. */
  static final class Upstream implements ChunkStream {
    final List<ObjectNode> chunks = new ArrayList<>();
    int read;
    boolean closed;

    Upstream(List<String> pieces) {
      chunks.add(HEADER.chunk(0, Json.object().put("role", "assistant").put("content", ""), null));
      pieces.forEach(piece -> chunks.add(HEADER.chunk(0, Json.object().put("content", piece), null)));
      chunks.add(HEADER.chunk(0, Json.object(), "stop"));
    }

    @Override
    public Optional<ObjectNode> next() {
      return read < chunks.size() ? Optional.of(chunks.get(read++)) : Optional.empty();
    }

    @Override
    public Usage usage() {
      return Usage.NONE;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Reads the filtered stream to its end, checking the holdback bound after every chunk. */
  static List<ObjectNode> drain(FilteredChunkStream stream, int bound) throws UpstreamFailure {
    List<ObjectNode> out = new ArrayList<>();
    for (Optional<ObjectNode> next = stream.next(); next.isPresent(); next = stream.next()) {
      out.add(next.get());
      assertTrue(stream.held() <= bound, "held " + stream.held() + " > " + bound);
    }
    return out;
  }

  static String text(List<ObjectNode> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(chunk -> text.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
    return text.toString();
  }

  @Test
  void aMatchIsCaughtWhereverTheChunksSplitTheSample() throws UpstreamFailure {
    TextFilter filter = new TextFilter(List.of(allPii(Action.REDACT)));
    String whole = filter.filterAll(SAMPLE, new FilterTally());
    assertFalse(whole.contains("jane") || whole.contains("4111 1111 1111 1111") || whole.contains("AKIA"), whole);
    for (int i = 1; i < SAMPLE.length(); i++) {
      List<String> pieces = List.of(SAMPLE.substring(0, i), SAMPLE.substring(i));
      String streamed = text(drain(new FilteredChunkStream(new Upstream(pieces), filter, t -> {}), filter.holdback()));
      assertEquals(whole, streamed, "split at " + i);
    }
  }

  @Test
  void oneCharacterPerChunkHoldsNoMoreThanTheBound() throws UpstreamFailure {
    TextFilter filter = new TextFilter(List.of(allPii(Action.REDACT)));
    List<String> pieces = SAMPLE.chars().mapToObj(c -> String.valueOf((char) c)).toList();
    AtomicReference<FilterTally> tally = new AtomicReference<>();
    List<ObjectNode> out = drain(new FilteredChunkStream(new Upstream(pieces), filter, tally::set), filter.holdback());

    assertEquals(filter.filterAll(SAMPLE, new FilterTally()), text(out));
    assertEquals(256, filter.holdback(), "the longest built-in match: an email of 254 characters, and 2 to confirm it");
    assertEquals(
        "response: email x1, phone x1, card x1, iban x1, awsAccessKey x1, awsSecretKey x1",
        tally.get().verdicts("response").getFirst().detail());
  }

  @Test
  void theHoldbackIsTheLongestMatchOfTheDetectorsInUseCappedByMaxMatchChars() {
    assertEquals(39, new TextFilter(List.of(policy("c", Action.REDACT, List.of(PiiType.CARD.detector()), 256))).holdback());
    assertEquals(64, new TextFilter(List.of(policy("d", Action.REDACT, List.of(deny("secret .*")), 64))).holdback());
    assertEquals(100, new TextFilter(List.of(policy("e", Action.REDACT, List.of(PiiType.EMAIL.detector()), 100))).holdback());
  }

  @Test
  void aLongMatchCapsTheHoldbackNotTheStream() throws UpstreamFailure {
    TextFilter filter = new TextFilter(List.of(policy("d", Action.REDACT, List.of(deny("x+")), 16)));
    List<String> pieces = List.of("x".repeat(50), "x".repeat(50), " end");
    String out = text(drain(new FilteredChunkStream(new Upstream(pieces), filter, t -> {}), 16));
    assertFalse(out.contains("x"), out);
    assertTrue(out.endsWith(" end"), out);
  }

  @Test
  void theRoleChunkGoesOutBeforeAnyTextIsRead() throws UpstreamFailure {
    Upstream upstream = new Upstream(List.of("jane@exam", "ple.com"));
    FilteredChunkStream stream = new FilteredChunkStream(upstream, new TextFilter(List.of(allPii(Action.REDACT))), t -> {});

    JsonNode first = stream.next().orElseThrow();

    assertEquals("assistant", first.path("choices").path(0).path("delta").path("role").asText());
    assertEquals(1, upstream.read);
  }

  @Test
  void heldTextGoesOutInAChunkOfItsOwnJustBeforeTheFinishingChunk() throws UpstreamFailure {
    Upstream upstream = new Upstream(List.of("write jane@", "example.com"));
    List<ObjectNode> out =
        drain(new FilteredChunkStream(upstream, new TextFilter(List.of(allPii(Action.REDACT))), t -> {}), 256);

    assertEquals(5, out.size(), out.toString());
    assertEquals("", out.get(1).path("choices").path(0).path("delta").path("content").asText(), "all held");
    assertEquals("write [REDACTED:email]", out.get(3).path("choices").path(0).path("delta").path("content").asText());
    assertTrue(out.get(3).path("choices").path(0).path("finish_reason").isNull());
    assertEquals(upstream.chunks.getLast(), out.get(4), "the finishing chunk is forwarded as it came");
    assertEquals("write jane@", upstream.chunks.get(1).path("choices").path(0).path("delta").path("content").asText(),
        "the upstream's chunks are not edited in place");
    for (ObjectNode chunk : out) {
      assertEquals("chatcmpl-1", chunk.path("id").asText());
      assertEquals("chat.completion.chunk", chunk.path("object").asText());
    }
  }

  @Test
  void aBlockEndsTheStreamWithContentFilterAndClosesTheUpstream() throws UpstreamFailure {
    Upstream upstream = new Upstream(List.of("fine text. the pass", "word is hunter2, more", " text", " never read"));
    AtomicReference<FilterTally> tally = new AtomicReference<>();
    TextFilter filter = new TextFilter(List.of(policy("secrets", Action.BLOCK, List.of(deny("password is \\w+")), 32)));
    FilteredChunkStream stream = new FilteredChunkStream(upstream, filter, tally::set);

    List<ObjectNode> out = drain(stream, 32);

    ObjectNode last = out.getLast();
    assertEquals("content_filter", last.path("choices").path(0).path("finish_reason").asText());
    assertFalse(text(out).contains("hunter2"), text(out));
    assertFalse(text(out).contains("password"), text(out));
    assertTrue(upstream.closed);
    assertTrue(upstream.read < upstream.chunks.size(), "the rest of the answer is not read");
    assertEquals(1, out.stream().filter(c -> !c.path("choices").path(0).path("finish_reason").isNull()).count());
    assertEquals("block", tally.get().verdicts("response").getFirst().action());
    assertEquals("response: deny[0]", tally.get().verdicts("response").getFirst().detail());
  }

  @Test
  void aBlockInTheHeldTailIsFoundAtTheEnd() throws UpstreamFailure {
    Upstream upstream = new Upstream(List.of("card 4111 1111 ", "1111 1111"));
    TextFilter filter = new TextFilter(List.of(policy("cards", Action.BLOCK, List.of(PiiType.CARD.detector()), 256)));

    List<ObjectNode> out = drain(new FilteredChunkStream(upstream, filter, t -> {}), 39);

    assertEquals("", text(out));
    assertEquals("content_filter", out.getLast().path("choices").path(0).path("finish_reason").asText());
  }

  @Test
  void toolCallsAndOtherChoicesPassUntouched() throws UpstreamFailure {
    Upstream upstream = new Upstream(List.of());
    ObjectNode call = HEADER.chunk(0, ChunkHeader.toolCallArguments(0, "{\"to\":\"jane@example.com\"}"), null);
    upstream.chunks.add(1, call);
    ObjectNode second = HEADER.chunk(1, Json.object().put("content", "jane@example.com"), "stop");
    upstream.chunks.add(second.deepCopy());

    List<ObjectNode> out =
        drain(new FilteredChunkStream(upstream, new TextFilter(List.of(allPii(Action.REDACT))), t -> {}), 256);

    assertEquals(call, out.get(1));
    ObjectNode held = out.get(out.size() - 2);
    assertEquals("[REDACTED:email]", held.path("choices").path(0).path("delta").path("content").asText());
    assertEquals(1, held.path("choices").path(0).path("index").asInt());
    assertEquals("stop", out.getLast().path("choices").path(0).path("finish_reason").asText());
  }

  @Test
  void anUpstreamThatEndsWithoutFinishingStillSendsTheHeldText() throws UpstreamFailure {
    Upstream upstream = new Upstream(List.of("mail jane@example.com"));
    upstream.chunks.removeLast();

    List<ObjectNode> out =
        drain(new FilteredChunkStream(upstream, new TextFilter(List.of(allPii(Action.REDACT))), t -> {}), 256);

    assertEquals("mail [REDACTED:email]", text(out));
  }
}
