package dev.tollgate.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/** Rows of cells as aligned columns two spaces apart, for the CLI's tables. */
final class TextTable {

  private TextTable() {}

  /** Each column as wide as its widest cell; columns {@code rightAligned} accepts are right-aligned. */
  static String render(List<String[]> lines, IntPredicate rightAligned, String lineSeparator) {
    int columns = lines.stream().mapToInt(cells -> cells.length).max().orElse(0);
    int[] widths = new int[columns];
    lines.forEach(cells -> {
      for (int i = 0; i < cells.length; i++) {
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    });
    StringBuilder out = new StringBuilder();
    for (String[] cells : lines) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cells.length; i++) {
        String format = rightAligned.test(i) ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
        line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, cells[i]));
      }
      out.append(line.toString().stripTrailing()).append(lineSeparator);
    }
    return out.toString();
  }
}
