package dev.tollgate.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The x-tollgate-sources encoding: parseable, header-safe whatever the document ids hold, and bounded. */
class SourcesHeaderTest {

  /** What a client parses: entries split on ", ", fields on ";", values percent-decoded. */
  private static final Pattern ENTRY = Pattern.compile("[0-9]+;kb=[A-Za-z0-9._~%-]+;doc=[A-Za-z0-9._~%-]*;pos=[0-9]+;score=-?[0-9.]+");

  @Test
  void separatorsSpacesAndNonAsciiInIdsArePercentEncoded() {
    String header = SourcesHeader.of(List.of(
        new Citation(1, "hand book", "Ré sumé, v2;final=1.pdf", "c1", 3, 0.8),
        new Citation(2, "handbook", "a/b_c-d.e~f", "c2", 0, 0.12345)));
    assertEquals("1;kb=hand%20book;doc=R%C3%A9%20sum%C3%A9%2C%20v2%3Bfinal%3D1.pdf;pos=3;score=0.8, "
        + "2;kb=handbook;doc=a%2Fb_c-d.e~f;pos=0;score=0.123", header);
    for (String entry : header.split(", ")) {
      assertTrue(ENTRY.matcher(entry).matches(), entry);
    }
    assertEquals("Ré sumé, v2;final=1.pdf",
        java.net.URLDecoder.decode("R%C3%A9%20sum%C3%A9%2C%20v2%3Bfinal%3D1.pdf", java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void scoresHaveAtMostThreeDecimals() {
    assertEquals("1", SourcesHeader.score(1.0));
    assertEquals("0", SourcesHeader.score(0.0));
    assertEquals("0.667", SourcesHeader.score(2.0 / 3));
    assertEquals("0", SourcesHeader.score(Double.NaN));
  }

  @Test
  void entriesPastTheSizeCapAreLeftOutWhole() {
    List<Citation> many = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      many.add(new Citation(i, "kb", "docs/" + "x".repeat(300) + i + ".md", "c" + i, i, 0.5));
    }
    String header = SourcesHeader.of(many);
    assertTrue(header.length() <= 4096, "length " + header.length());
    String[] entries = header.split(", ");
    assertTrue(entries.length >= 10 && entries.length < 20, "kept " + entries.length);
    for (int i = 0; i < entries.length; i++) {
      assertTrue(ENTRY.matcher(entries[i]).matches() && entries[i].startsWith((i + 1) + ";"), entries[i]);
    }
  }
}
