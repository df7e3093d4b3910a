package dev.tollgate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the `tollgate` command line in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return of(CommandLine.defaultFactory(), args);
  }

  /** With subcommands made by {@code factory}, e.g. one holding a fixed clock. */
  static CliRun of(CommandLine.IFactory factory, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = TollgateCli.commandLine(factory);
    // Like picocli's own writers on System.out/err: buffered, flushed by println but not by print,
    // so a command that prints without flushing loses its output here as it would in a shell.
    commandLine.setOut(new PrintWriter(new java.io.BufferedWriter(out), true));
    commandLine.setErr(new PrintWriter(new java.io.BufferedWriter(err), true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
