package dev.tollgate.cli.kb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.rag.SourceDocument;
import dev.tollgate.rag.SourceDocument.Block;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class DocumentReadersTest {

  @TempDir Path dir;

  private SourceDocument read(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    DocumentFiles.Read read = DocumentFiles.read(new DocumentFiles.Found(file, name));
    assertTrue(read.document().isPresent(), read.problem());
    return read.document().get();
  }

  private SourceDocument read(String name, String text) throws IOException {
    return read(name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void markdownHeadingsParagraphsListsAndCode() throws IOException {
    SourceDocument doc =
        read(
            "guide.md",
            """
            ---
            owner: docs
            ---
            # Refund policy

            Refunds are issued
            within 14 days.

            ## Card payments ##
            - first item
            - second item

            ```
            # not a heading
            curl -X POST
            ```
            """);

    assertEquals("Refund policy", doc.title());
    assertEquals(
        List.of(
            Block.heading(1, "Refund policy"),
            Block.paragraph("Refunds are issued within 14 days."),
            Block.heading(2, "Card payments"),
            Block.paragraph("- first item"),
            Block.paragraph("- second item"),
            Block.paragraph("# not a heading\ncurl -X POST")),
        doc.blocks());
    assertEquals("markdown", doc.metadata().get("format"));
    assertEquals(SourceDocument.sha256(Files.readAllBytes(dir.resolve("guide.md"))), doc.contentHash());
  }

  @Test
  void textParagraphsAreSeparatedByBlankLines() throws IOException {
    SourceDocument doc = read("notes/holidays.txt", "Line one\nline two.\n\n\nSecond paragraph.\n");

    assertEquals("holidays", doc.title());
    assertEquals(List.of(Block.paragraph("Line one line two."), Block.paragraph("Second paragraph.")), doc.blocks());
  }

  @Test
  void htmlKeepsHeadingsAndTextAndDropsScriptsStylesAndNavigation() throws IOException {
    SourceDocument doc =
        read(
            "sso.html",
            """
            <html><head><title>SSO setup</title><style>p { color: red }</style></head>
            <body><nav><a href="/">Home</a></nav><script>var x = 1;</script>
            <h1>SSO</h1><p>Use <b>SAML</b> 2.0.</p>
            <h2>Okta</h2><ul><li><p>Create an app</p></li><li>Copy the URL</li></ul>
            <pre>line 1
            line 2</pre></body></html>
            """);

    assertEquals("SSO setup", doc.title());
    assertEquals(
        List.of(
            Block.heading(1, "SSO"),
            Block.paragraph("Use SAML 2.0."),
            Block.heading(2, "Okta"),
            Block.paragraph("Create an app"),
            Block.paragraph("Copy the URL"),
            Block.paragraph("line 1\nline 2")),
        doc.blocks());
  }

  @Test
  void pdfPagesAreBlocksAndTheTitleComesFromTheMetadata() throws IOException {
    SourceDocument doc = read("whitepaper.pdf", pdf("Security whitepaper", "Data is encrypted at rest.", "Keys rotate yearly."));

    assertEquals("Security whitepaper", doc.title());
    assertEquals(List.of(Block.paragraph("Data is encrypted at rest."), Block.paragraph("Keys rotate yearly.")), doc.blocks());
    assertEquals("pdf", doc.metadata().get("format"));
  }

  @Test
  void aPdfWithoutATitleIsNamedAfterItsFile() throws IOException {
    assertEquals("scan", read("scan.pdf", pdf(null, "Text")).title());
  }

  @Test
  void unreadableFilesComeBackAsProblems() throws IOException {
    Files.write(dir.resolve("broken.pdf"), "%PDF-1.7 this is not really a pdf".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("image.md"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
    Files.writeString(dir.resolve("data.xlsx"), "x");

    assertTrue(problem("broken.pdf").startsWith("unreadable: "), problem("broken.pdf"));
    assertEquals("unreadable: binary content, not text", problem("image.md"));
    assertEquals("unknown file type (reads .md, .txt, .html, .pdf)", problem("data.xlsx"));
  }

  private String problem(String name) {
    DocumentFiles.Read read = DocumentFiles.read(new DocumentFiles.Found(dir.resolve(name), name));
    assertTrue(read.document().isEmpty());
    return read.problem();
  }

  @Test
  void findsFilesRecursivelyWithIdsRelativeToTheRootSkippingHiddenOnes() throws IOException {
    Files.createDirectories(dir.resolve("docs/billing"));
    Files.createDirectories(dir.resolve("docs/.git"));
    Files.writeString(dir.resolve("docs/billing/refunds.md"), "x");
    Files.writeString(dir.resolve("docs/intro.txt"), "x");
    Files.writeString(dir.resolve("docs/.git/config"), "x");
    Files.writeString(dir.resolve("single.md"), "x");

    List<String> ids =
        DocumentFiles.find(List.of(dir.resolve("docs"), dir.resolve("single.md"))).stream().map(DocumentFiles.Found::id).toList();

    assertEquals(List.of("billing/refunds.md", "intro.txt", "single.md"), ids);
  }

  /** A PDF with one page per text, built with PDFBox. */
  public static byte[] pdf(String title, String... pages) throws IOException {
    try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (String text : pages) {
        PDPage page = new PDPage();
        pdf.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          content.newLineAtOffset(72, 700);
          content.showText(text);
          content.endText();
        }
      }
      if (title != null) {
        PDDocumentInformation information = new PDDocumentInformation();
        information.setTitle(title);
        pdf.setDocumentInformation(information);
      }
      pdf.save(out);
      return out.toByteArray();
    }
  }
}
