package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.aws.DynamoDbKnowledgeStore;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.cli.kb.DocumentReadersTest;
import dev.tollgate.embedding.local.MiniLmEmbedder;
import dev.tollgate.rag.KnowledgeRetriever;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tollgate kb ingest|ls|rm` end to end: real files, the in-process MiniLM model, DynamoDB Local on a port. */
class KbCommandTest {

  private static LocalDynamoDb dynamo;
  private static String endpoint;

  @TempDir Path dir;

  @BeforeAll
  static void startDynamo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    dynamo = LocalDynamoDb.onPort(port);
    endpoint = "http://127.0.0.1:" + port;
    TableSchemas.createAll(dynamo.client(), "kbtest-");
  }

  @AfterAll
  static void stopDynamo() {
    dynamo.close();
  }

  private static CliRun kb(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("kb"));
    all.addAll(List.of(args));
    all.addAll(List.of("--endpoint", endpoint, "--region", "us-east-1", "--table-prefix", "kbtest-"));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void ingestsTwiceReplacesAChangedFileReportsUnreadableOnesAndRemoves() throws Exception {
    Path docs = dir.resolve("docs");
    Files.createDirectories(docs.resolve("billing"));
    Files.writeString(docs.resolve("billing/refunds.md"), "# Refunds\n\nRefunds are paid back to the card within 14 days.\n");
    Files.writeString(docs.resolve("shipping.txt"), "Parcels to zone 3 take five working days.\n");
    Files.writeString(docs.resolve("sso.html"), "<html><head><title>SSO</title></head><body><p>Sign in with SAML through Okta.</p></body></html>");
    Files.write(docs.resolve("security.pdf"), DocumentReadersTest.pdf("Security", "Error X9-200 means the key was revoked."));

    CliRun first = kb("ingest", "--kb", "help", docs.toString());
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertEquals(
        List.of(
            "billing/refunds.md: ingested (1 chunk)",
            "security.pdf: ingested (1 chunk)",
            "shipping.txt: ingested (1 chunk)",
            "sso.html: ingested (1 chunk)"),
        first.out().lines().toList());

    CliRun second = kb("ingest", "--kb", "help", docs.toString());
    assertEquals(0, second.exitCode());
    assertTrue(second.out().lines().allMatch(line -> line.endsWith(": unchanged")), second.out());

    Files.writeString(docs.resolve("shipping.txt"), "Parcels to zone 3 take two working days now.\n");
    Files.write(docs.resolve("broken.pdf"), "%PDF-1.4 garbage".getBytes(StandardCharsets.UTF_8));
    CliRun third = kb("ingest", "--kb", "help", docs.toString());
    assertEquals(1, third.exitCode());
    assertTrue(third.out().contains("broken.pdf: skipped: unreadable: "), third.out());
    assertTrue(third.out().contains("shipping.txt: replaced (1 chunk)"), third.out());
    assertTrue(third.out().contains("billing/refunds.md: unchanged"), third.out());
    assertTrue(third.out().contains("1 file was skipped."), third.out());

    KnowledgeRetriever retriever = new KnowledgeRetriever(new DynamoDbKnowledgeStore(dynamo.client(), "kbtest-knowledge"), new MiniLmEmbedder());
    List<RetrievedChunk> found = retriever.retrieve(new RetrievalQuery("help", "how long does delivery to zone 3 take", 1, 0, Map.of()));
    assertEquals("Parcels to zone 3 take two working days now.", found.getFirst().text());
    assertEquals("security.pdf", retriever.retrieve(new RetrievalQuery("help", "X9-200", 1, 0, Map.of())).getFirst().documentId());

    CliRun list = kb("ls");
    assertTrue(list.out().lines().anyMatch(line -> line.matches("help\\s+5\\s+4\\s+4\\s+all-minilm-l6-v2-q\\s+index\\s+.*")), list.out());
    CliRun docsList = kb("ls", "--kb", "help");
    assertTrue(docsList.out().contains("billing/refunds.md"), docsList.out());

    CliRun removeOne = kb("rm", "--kb", "help", "sso.html", "nope.md");
    assertEquals(List.of("sso.html: removed", "nope.md: not found"), removeOne.out().lines().toList());
    assertEquals(1, removeOne.exitCode());
    assertTrue(!kb("ls", "--kb", "help").out().contains("sso.html"));

    assertEquals("removed knowledge base help", kb("rm", "--kb", "help").out().strip());
    assertEquals(1, kb("ls", "--kb", "help").exitCode());
  }

  @Test
  void aMissingPathIsAnError() {
    CliRun run = kb("ingest", "--kb", "x", dir.resolve("missing").toString());

    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("no such file or directory"), run.err());
  }

  @Test
  void aKnowledgeBaseNameNoPolicyCouldUseIsRefusedBeforeAnythingIsRead() {
    for (String name : new String[] {"My KB", "none", "-dash-first"}) {
      CliRun run = kb("ingest", "--kb", name, dir.toString());

      assertEquals(2, run.exitCode(), name);
      assertTrue(run.err().contains("--kb must be 1 to 64 letters, digits"), run.err());
    }
  }
}
