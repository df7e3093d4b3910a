package dev.tollgate.cli;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockTitanTextEmbedder;
import dev.tollgate.aws.DynamoDbKnowledgeStore;
import dev.tollgate.cli.kb.DocumentFiles;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.embedding.local.MiniLmEmbedder;
import dev.tollgate.rag.Chunker;
import dev.tollgate.rag.ChunkerOptions;
import dev.tollgate.rag.IngestResult;
import dev.tollgate.rag.KnowledgeBase;
import dev.tollgate.rag.KnowledgeDocument;
import dev.tollgate.rag.KnowledgeIngestion;
import dev.tollgate.rag.KnowledgeStore;
import dev.tollgate.rag.RagRule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tollgate kb ingest|rm|ls}: the knowledge bases in the knowledge table. */
@Command(
    name = "kb",
    mixinStandardHelpOptions = true,
    description = "Ingest documents into a knowledge base, list and remove them.",
    subcommands = {KbCommand.Ingest.class, KbCommand.Remove.class, KbCommand.Ls.class})
final class KbCommand {

  /**
   * The embedding model named by {@code --embedding}: queries must later be embedded by the same
   * model and size (the dev server uses MiniLM; RagFunction Titan with its EmbeddingDimensions).
   */
  static TextEmbedder embedder(String choice, TableOptions table, int titanDimensions) {
    return switch (choice) {
      case "local" -> new MiniLmEmbedder();
      case "bedrock" ->
          new BedrockTitanTextEmbedder(
              () -> AwsClients.bedrockRuntime(table.region(), Optional.empty()),
              BedrockTitanTextEmbedder.DEFAULT_MODEL,
              titanDimensions,
              Duration.ofSeconds(30));
      default -> throw new IllegalArgumentException("--embedding must be local or bedrock, was '" + choice + "'");
    };
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Read Markdown, text, HTML and PDF files (directories recursively), chunk, embed and write them;"
          + " unchanged files are left alone, changed ones replaced. Exit code 1 when a file was skipped.")
  static final class Ingest implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TableOptions table;

    @Option(names = "--kb", required = true, description = "knowledge base name") String kb;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "files or directories") List<Path> paths;

    @Option(names = "--embedding", defaultValue = "local",
        description = "embedding model: local (in-process all-MiniLM-L6-v2) or bedrock (Titan Text Embeddings v2) (default: ${DEFAULT-VALUE})")
    String embedding;

    @Option(names = "--embedding-dimensions", defaultValue = "" + BedrockTitanTextEmbedder.DEFAULT_DIMENSIONS,
        description = "with --embedding bedrock: 256, 512 or 1024, as RagFunction's EmbeddingDimensions (default: ${DEFAULT-VALUE})")
    int embeddingDimensions;

    @Option(names = "--chunk-size", defaultValue = "" + ChunkerOptions.DEFAULT_TARGET_CHARS,
        description = "target characters per chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--overlap", defaultValue = "" + ChunkerOptions.DEFAULT_OVERLAP,
        description = "share of a chunk repeated at the start of the next, 0 to 0.5 (default: ${DEFAULT-VALUE})")
    double overlap;

    @Override
    public Integer call() throws Exception {
      if (!RagRule.KB.matcher(kb).matches() || kb.equals(RagRule.NO_KB)) {
        throw new ParameterException(spec.commandLine(),
            "--kb must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, and not '"
                + RagRule.NO_KB + "' (a retrieval policy could not name it), was '" + kb + "'");
      }
      Chunker chunker = new Chunker(new ChunkerOptions(chunkSize, overlap));
      TextEmbedder embedder = embedder(embedding, table, embeddingDimensions);
      PrintWriter out = spec.commandLine().getOut();
      int skipped = 0;
      try (var client = table.client()) {
        KnowledgeIngestion ingestion =
            new KnowledgeIngestion(new DynamoDbKnowledgeStore(client, table.knowledgeTable()), embedder, chunker, Clock.systemUTC());
        for (DocumentFiles.Found found : DocumentFiles.find(paths)) {
          DocumentFiles.Read read = DocumentFiles.read(found);
          IngestResult result =
              read.document().isPresent() ? ingestion.ingest(kb, read.document().get()) : IngestResult.skipped(read.id(), read.problem());
          out.println(result.describe());
          if (result.outcome() == IngestResult.Outcome.SKIPPED) {
            skipped++;
          }
        }
      }
      if (skipped > 0) {
        out.println(skipped + (skipped == 1 ? " file was" : " files were") + " skipped.");
      }
      return skipped > 0 ? 1 : 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true,
      description = "Remove documents from a knowledge base, or (no DOC) the whole knowledge base.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TableOptions table;

    @Option(names = "--kb", required = true, description = "knowledge base name") String kb;

    @Parameters(paramLabel = "DOC", arity = "0..*", description = "document ids as `kb ls --kb` shows them") List<String> documents;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (var client = table.client()) {
        KnowledgeStore store = new DynamoDbKnowledgeStore(client, table.knowledgeTable());
        if (documents == null || documents.isEmpty()) {
          boolean removed = store.removeBase(kb);
          out.println(removed ? "removed knowledge base " + kb : "no knowledge base " + kb);
          return removed ? 0 : 1;
        }
        List<String> removed = new KnowledgeIngestion(store, TextEmbedder.NONE).remove(kb, documents);
        for (String document : documents) {
          out.println(document + ": " + (removed.contains(document) ? "removed" : "not found"));
        }
        return removed.size() == documents.size() ? 0 : 1;
      }
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true,
      description = "List the knowledge bases (version, documents, model), or the documents of one.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TableOptions table;

    @Option(names = "--kb", description = "list this knowledge base's documents") String kb;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<String[]> lines = new ArrayList<>();
      try (var client = table.client()) {
        KnowledgeStore store = new DynamoDbKnowledgeStore(client, table.knowledgeTable());
        if (kb == null) {
          lines.add(new String[] {"KB", "VERSION", "DOCS", "CHUNKS", "MODEL", "RETRIEVER", "UPDATED"});
          for (KnowledgeBase base : store.bases()) {
            List<KnowledgeDocument> documents = store.documents(base.kb());
            lines.add(new String[] {
              base.kb(), Long.toString(base.version()), Integer.toString(documents.size()),
              Integer.toString(documents.stream().mapToInt(KnowledgeDocument::chunkCount).sum()), base.modelId(), base.retriever(),
              base.updatedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()});
          }
        } else {
          if (store.base(kb).isEmpty()) {
            out.println("no knowledge base " + kb);
            return 1;
          }
          lines.add(new String[] {"DOC", "CHUNKS", "INGESTED", "TITLE"});
          for (KnowledgeDocument document : store.documents(kb)) {
            lines.add(new String[] {
              document.documentId(), Integer.toString(document.chunkCount()),
              document.ingestedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), document.title()});
          }
        }
      }
      out.print(TextTable.render(lines, column -> kb == null ? column >= 1 && column <= 3 : column == 1, System.lineSeparator()));
      out.flush();
      return 0;
    }
  }
}
