package dev.tollgate.cli.kb;

import dev.tollgate.rag.SourceDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the files to ingest under the given paths and reads each with the reader for its
 * extension: {@code .md .markdown} Markdown, {@code .txt .text} text, {@code .html .htm} HTML,
 * {@code .pdf} PDF. A document's id is its path relative to the root it was found under (a file
 * given directly: its name), with forward slashes.
 */
public final class DocumentFiles {

  private static final Map<String, DocumentReader> READERS =
      Map.of(
          "md", new MarkdownReader(), "markdown", new MarkdownReader(),
          "txt", new TextReader(), "text", new TextReader(),
          "html", new HtmlReader(), "htm", new HtmlReader(),
          "pdf", new PdfReader());

  private DocumentFiles() {}

  /** A file to ingest and its document id. */
  public record Found(Path file, String id) {}

  /** One file read: the document, or why it could not be read. */
  public record Read(String id, Optional<SourceDocument> document, String problem) {}

  /** Every regular file under {@code paths} (directories recursively, hidden entries skipped), in id order per path. */
  public static List<Found> find(List<Path> paths) throws IOException {
    List<Found> found = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(Files::isRegularFile)
              .filter(file -> !hidden(path.relativize(file)))
              .map(file -> new Found(file, id(path.relativize(file))))
              .sorted(java.util.Comparator.comparing(Found::id))
              .forEach(found::add);
        }
      } else if (Files.exists(path)) {
        found.add(new Found(path, path.getFileName().toString()));
      } else {
        throw new IOException("no such file or directory: " + path);
      }
    }
    return found;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String id(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(part -> parts.add(part.toString()));
    return String.join("/", parts);
  }

  /** Reads one file; an unknown extension, binary content or a damaged file comes back as a problem. */
  public static Read read(Found found) {
    String name = found.file().getFileName().toString();
    int dot = name.lastIndexOf('.');
    DocumentReader reader = dot < 0 ? null : READERS.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (reader == null) {
      return new Read(found.id(), Optional.empty(), "unknown file type (reads .md, .txt, .html, .pdf)");
    }
    try {
      return new Read(found.id(), Optional.of(reader.read(found.id(), Files.readAllBytes(found.file()))), "");
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      return new Read(found.id(), Optional.empty(), "unreadable: " + e.getMessage());
    }
  }
}
