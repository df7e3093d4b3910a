package dev.tollgate.rag;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@value #NAME} response header: the sources an answer was grounded in, one entry per chunk in
 * context order, comma-separated, each {@code n;kb=K;doc=D;pos=P;score=S}. {@code kb} and
 * {@code doc} are percent-encoded (everything but {@code A-Z a-z 0-9 - . _ ~}), so a value never
 * holds a separator or a non-ASCII byte; {@code score} has at most 3 decimals. Entries that would
 * take the header past {@value #MAX_CHARS} characters are left out (the audit record has them all).
 */
public final class SourcesHeader {

  public static final String NAME = "x-tollgate-sources";
  static final int MAX_CHARS = 4096;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SourcesHeader() {}

  public static String of(List<Citation> citations) {
    StringBuilder header = new StringBuilder();
    for (Citation citation : citations) {
      String entry = citation.n() + ";kb=" + encode(citation.kb()) + ";doc=" + encode(citation.documentId())
          + ";pos=" + citation.position() + ";score=" + score(citation.score());
      int length = header.length() + (header.isEmpty() ? 0 : 2) + entry.length();
      if (length > MAX_CHARS) {
        break;
      }
      header.append(header.isEmpty() ? "" : ", ").append(entry);
    }
    return header.toString();
  }

  static String score(double score) {
    if (!Double.isFinite(score)) {
      return "0";
    }
    return BigDecimal.valueOf(score).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
      }
    }
    return out.toString();
  }
}
