package dev.tollgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private static List<SseEvent> read(String wire) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    List<SseEvent> events = new ArrayList<>();
    for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
      events.add(e.get());
    }
    return events;
  }

  @Test
  void namedAndUnnamedEventsWithTheirData() throws IOException {
    assertEquals(
        List.of(new SseEvent("message_start", "{\"a\":1}"), new SseEvent("", "[DONE]")),
        read("event: message_start\ndata: {\"a\":1}\n\ndata: [DONE]\n\n"));
  }

  @Test
  void everyLineEndingCountsAndCommentsAreSkipped() throws IOException {
    assertEquals(
        List.of(new SseEvent("", "one"), new SseEvent("", "two"), new SseEvent("ping", "three")),
        read(": keep-alive\r\ndata: one\r\n\r\ndata:two\r\revent: ping\ndata: three\n\n"));
  }

  @Test
  void severalDataLinesJoinWithNewlines() throws IOException {
    assertEquals(List.of(new SseEvent("", "line 1\nline 2")), read("data: line 1\ndata: line 2\n\n"));
  }

  @Test
  void blankLinesWithoutDataDispatchNothingAndResetTheName() throws IOException {
    assertEquals(List.of(new SseEvent("", "x")), read("event: stale\n\n\n\ndata: x\n\n"));
  }

  @Test
  void anEventCutOffByTheEndOfTheStreamIsDropped() throws IOException {
    assertEquals(List.of(new SseEvent("", "whole")), read("data: whole\n\ndata: {\"half\":"));
  }

  @Test
  void multiByteCharactersSplitAcrossReadsSurvive() throws IOException {
    byte[] wire = "data: héllo ✓\n\n".getBytes(StandardCharsets.UTF_8);
    InputStream trickle =
        new InputStream() {
          int i;

          @Override
          public int read() {
            return i < wire.length ? wire[i++] & 0xff : -1;
          }
        };
    assertEquals(Optional.of(new SseEvent("", "héllo ✓")), new SseReader(trickle).next());
  }

  @Test
  void anEndlessLineIsRefusedNotBuffered() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }
        };
    assertThrows(IOException.class, () -> new SseReader(endless).next());
  }

  @Test
  void aLeadingByteOrderMarkIsNotPartOfTheFirstField() throws IOException {
    assertEquals(List.of(new SseEvent("start", "{}")), read("\uFEFFevent: start\ndata: {}\n\n"));
  }
}
