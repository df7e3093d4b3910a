package dev.tollgate.cli.kb;

import dev.tollgate.rag.SourceDocument;
import dev.tollgate.rag.SourceDocument.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * HTML (jsoup): headings h1–h6 start sections; p, li, pre, blockquote, dt/dd and table cells are
 * paragraphs; script, style, nav, header, footer, noscript and template are dropped. Title: the
 * {@code <title>}, else the first h1, else the file name.
 */
public final class HtmlReader implements DocumentReader {

  private static final String BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, dt, dd, td, th";
  private static final Set<String> CONTAINERS = Set.of("p", "li", "pre", "blockquote", "dd", "td", "th");

  @Override
  public SourceDocument read(String id, byte[] bytes) throws IOException {
    Document html = Jsoup.parse(DocumentReader.utf8(bytes));
    html.select("script, style, nav, header, footer, noscript, template").remove();
    List<Block> blocks = new ArrayList<>();
    for (Element element : html.body().select(BLOCKS)) {
      if (insideAnotherBlock(element)) {
        continue; // its text is already part of the enclosing block
      }
      String text = element.tagName().equals("pre") ? element.wholeText().strip() : element.text();
      if (text.isEmpty()) {
        continue;
      }
      char tag1 = element.tagName().charAt(0);
      if (tag1 == 'h' && element.tagName().length() == 2 && Character.isDigit(element.tagName().charAt(1))) {
        blocks.add(Block.heading(element.tagName().charAt(1) - '0', text));
      } else {
        blocks.add(Block.paragraph(text));
      }
    }
    if (blocks.isEmpty() && !html.body().text().isBlank()) {
      blocks.add(Block.paragraph(html.body().text()));
    }
    return new SourceDocument(id, title(html, id), blocks, DocumentReader.metadata("html"), SourceDocument.sha256(bytes));
  }

  private static boolean insideAnotherBlock(Element element) {
    for (Element parent : element.parents()) {
      if (CONTAINERS.contains(parent.tagName())) {
        return true;
      }
    }
    return false;
  }

  private static String title(Document html, String id) {
    if (!html.title().isBlank()) {
      return html.title().strip();
    }
    Element h1 = html.selectFirst("h1");
    return h1 != null && !h1.text().isBlank() ? h1.text() : DocumentReader.fileTitle(id);
  }
}
