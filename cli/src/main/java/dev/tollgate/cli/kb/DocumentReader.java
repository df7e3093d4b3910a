package dev.tollgate.cli.kb;

import dev.tollgate.rag.SourceDocument;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Parses one file format into a {@link SourceDocument} with its structure (headings, paragraphs). */
public interface DocumentReader {

  /**
   * @param id the document id (its path relative to the ingested root)
   * @param bytes the file's content
   * @throws IOException when the file is not of this format or is damaged (the file is then skipped)
   */
  SourceDocument read(String id, byte[] bytes) throws IOException;

  /** The file's bytes as UTF-8 text; binary data (NUL bytes, invalid UTF-8) is refused. */
  static String utf8(byte[] bytes) throws IOException {
    for (byte b : bytes) {
      if (b == 0) {
        throw new IOException("binary content, not text");
      }
    }
    try {
      String text =
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new IOException("not UTF-8 text");
    }
  }

  /** The file name without its directory and extension: the title of a document that names none. */
  static String fileTitle(String id) {
    String name = id.substring(id.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The metadata every reader puts on its documents: the format, for filters. */
  static Map<String, String> metadata(String format) {
    return Map.of("format", format);
  }
}
