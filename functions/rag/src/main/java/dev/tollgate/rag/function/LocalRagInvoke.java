package dev.tollgate.rag.function;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the handler once on a request file (e.g. {@code events/rag/retrieve.json}) outside Lambda,
 * with the process environment, and prints the answer:
 * {@code java -cp tollgate-rag-lambda.jar dev.tollgate.rag.function.LocalRagInvoke FILE}.
 */
public final class LocalRagInvoke {

  private LocalRagInvoke() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: LocalRagInvoke <request.json>");
      System.exit(2);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new RagHandler().handleRequest(Files.newInputStream(Path.of(args[0])), out, null);
    System.out.println(out.toString(StandardCharsets.UTF_8));
  }
}
