package dev.tollgate.cli.kb;

import dev.tollgate.rag.SourceDocument;
import dev.tollgate.rag.SourceDocument.Block;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF (PDFBox): the text of each page is one block (so chunks follow page boundaries; the chunker
 * cuts long pages at sentence ends). Title: the document information's title, else the file name.
 * A scanned PDF without a text layer has no text and is skipped by ingestion.
 */
public final class PdfReader implements DocumentReader {

  @Override
  public SourceDocument read(String id, byte[] bytes) throws IOException {
    try (PDDocument pdf = Loader.loadPDF(bytes)) {
      PDFTextStripper stripper = new PDFTextStripper();
      List<Block> blocks = new ArrayList<>();
      for (int page = 1; page <= pdf.getNumberOfPages(); page++) {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        String text = stripper.getText(pdf).strip().replaceAll("\\s+", " ");
        if (!text.isEmpty()) {
          blocks.add(Block.paragraph(text));
        }
      }
      String title = pdf.getDocumentInformation() == null ? null : pdf.getDocumentInformation().getTitle();
      return new SourceDocument(
          id, title == null || title.isBlank() ? DocumentReader.fileTitle(id) : title, blocks, DocumentReader.metadata("pdf"),
          SourceDocument.sha256(bytes));
    }
  }
}
