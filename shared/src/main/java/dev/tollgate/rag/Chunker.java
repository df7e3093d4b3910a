package dev.tollgate.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cuts a {@link SourceDocument} into chunks of about {@link ChunkerOptions#targetChars()}
 * characters along its structure: every heading starts a new chunk (and sets the heading path the
 * chunks under it carry as title), paragraphs are packed whole while they fit, a paragraph longer
 * than a chunk is cut at sentence ends (then at spaces, and only a single word longer than a chunk
 * is cut inside), and each chunk after the first of a section repeats the previous chunk's last
 * sentences (about {@link ChunkerOptions#overlap()} of its size). Same document in, same chunks out.
 */
public final class Chunker {

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;:])\\s+");
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final String PARAGRAPH_BREAK = "\n\n";

  private final ChunkerOptions options;

  public Chunker() {
    this(ChunkerOptions.DEFAULTS);
  }

  public Chunker(ChunkerOptions options) {
    this.options = options;
  }

  public ChunkerOptions options() {
    return options;
  }

  /** The document's chunks, positions 0..n-1; none when it has no text. */
  public List<Chunk> chunk(SourceDocument document) {
    List<Chunk> chunks = new ArrayList<>();
    String[] headings = new String[7];
    List<String> section = new ArrayList<>();
    for (SourceDocument.Block block : document.blocks()) {
      if (block.isHeading()) {
        emitSection(document, titleOf(document, headings), section, chunks);
        section.clear();
        headings[block.level()] = block.text();
        for (int deeper = block.level() + 1; deeper < headings.length; deeper++) {
          headings[deeper] = null;
        }
      } else if (!block.text().isEmpty()) {
        section.add(block.text());
      }
    }
    emitSection(document, titleOf(document, headings), section, chunks);
    return chunks;
  }

  private static String titleOf(SourceDocument document, String[] headings) {
    List<String> path = new ArrayList<>();
    path.add(document.title());
    for (String heading : headings) {
      if (heading != null && !heading.isEmpty() && !heading.equalsIgnoreCase(path.getLast())) {
        path.add(heading);
      }
    }
    return String.join(" > ", path);
  }

  private void emitSection(SourceDocument document, String title, List<String> paragraphs, List<Chunk> chunks) {
    List<Unit> units = new ArrayList<>();
    for (String paragraph : paragraphs) {
      List<String> pieces = fit(paragraph);
      for (int i = 0; i < pieces.size(); i++) {
        units.add(new Unit(pieces.get(i), i == 0));
      }
    }
    StringBuilder current = new StringBuilder();
    boolean fresh = false;
    for (Unit unit : units) {
      String separator = current.isEmpty() ? "" : unit.startsParagraph() ? PARAGRAPH_BREAK : " ";
      if (fresh && current.length() + separator.length() + unit.text().length() > options.targetChars()) {
        chunks.add(chunk(document, chunks.size(), title, current));
        current = new StringBuilder(overlapTail(current.toString()));
        fresh = false;
        separator = current.isEmpty() ? "" : unit.startsParagraph() ? PARAGRAPH_BREAK : " ";
      }
      current.append(separator).append(unit.text());
      fresh = true;
    }
    if (fresh) {
      chunks.add(chunk(document, chunks.size(), title, current));
    }
  }

  private static Chunk chunk(SourceDocument document, int position, String title, CharSequence text) {
    return new Chunk(document.id(), position, title, text.toString().strip(), document.metadata());
  }

  /** A paragraph as pieces no longer than a chunk: whole, else by sentences, else by words. */
  private List<String> fit(String paragraph) {
    int target = options.targetChars();
    if (paragraph.length() <= target) {
      return List.of(paragraph);
    }
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    for (String sentence : SENTENCE_END.split(paragraph)) {
      List<String> parts = sentence.length() <= target ? List.of(sentence) : words(sentence);
      for (String part : parts) {
        if (!piece.isEmpty() && piece.length() + 1 + part.length() > target) {
          pieces.add(piece.toString());
          piece.setLength(0);
        }
        piece.append(piece.isEmpty() ? "" : " ").append(part);
      }
    }
    if (!piece.isEmpty()) {
      pieces.add(piece.toString());
    }
    return pieces;
  }

  /** A sentence longer than a chunk, as runs of whole words (a single overlong word is cut). */
  private List<String> words(String sentence) {
    int target = options.targetChars();
    List<String> runs = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (String word : SPACE.split(sentence)) {
      while (word.length() > target) {
        if (!run.isEmpty()) {
          runs.add(run.toString());
          run.setLength(0);
        }
        runs.add(word.substring(0, target));
        word = word.substring(target);
      }
      if (!run.isEmpty() && run.length() + 1 + word.length() > target) {
        runs.add(run.toString());
        run.setLength(0);
      }
      run.append(run.isEmpty() ? "" : " ").append(word);
    }
    if (!run.isEmpty()) {
      runs.add(run.toString());
    }
    return runs;
  }

  /**
   * The end of {@code text} to repeat at the start of the next chunk: about the overlap size,
   * starting at a sentence start when one falls inside it (or inside twice its size), else at a
   * word start.
   */
  String overlapTail(String text) {
    int size = options.overlapChars();
    if (size == 0 || text.length() <= size) {
      return size == 0 ? "" : text;
    }
    int from = text.length() - size;
    int sentence = sentenceStartAtOrAfter(text, from);
    if (sentence < 0) {
      // No sentence starts inside the overlap: take the whole last sentence if it is at most twice as long.
      sentence = sentenceStartAtOrAfter(text, Math.max(0, text.length() - 2 * size));
    }
    if (sentence >= 0) {
      return text.substring(sentence).strip();
    }
    int space = indexOfWhitespace(text, from - 1);
    return space < 0 ? "" : text.substring(space).strip();
  }

  private static int sentenceStartAtOrAfter(String text, int from) {
    for (int i = Math.max(from, 2); i < text.length(); i++) {
      char before = text.charAt(i - 1);
      if (Character.isWhitespace(before) && !Character.isWhitespace(text.charAt(i))) {
        char end = text.charAt(i - 2);
        if (".!?;:".indexOf(end) >= 0 || before == '\n') {
          return i;
        }
      }
    }
    return -1;
  }

  private static int indexOfWhitespace(String text, int from) {
    for (int i = Math.max(from, 0); i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private record Unit(String text, boolean startsParagraph) {}

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Chunker[%d chars, %.0f%% overlap]", options.targetChars(), options.overlap() * 100);
  }
}
