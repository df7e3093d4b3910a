package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM this benchmark starts, with its output in a file, stopped (and if need be killed) by its
 * own handle when done. {@link #launchedAtMillis} is taken just before the process is created.
 */
final class ChildProcess implements AutoCloseable {

  private final Process process;
  private final Path output;
  private final long launchedAtMillis;
  private final long launchedAtNanos;

  private ChildProcess(Process process, Path output, long launchedAtMillis, long launchedAtNanos) {
    this.process = process;
    this.output = output;
    this.launchedAtMillis = launchedAtMillis;
    this.launchedAtNanos = launchedAtNanos;
  }

  /** The java binary running this benchmark, so children get the same JDK. */
  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static ChildProcess start(List<String> command, Map<String, String> extraEnv, Path directory) throws IOException {
    Path output = Files.createTempFile("tollgate-bench-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().putAll(extraEnv);
    long millis = System.currentTimeMillis();
    long nanos = System.nanoTime();
    return new ChildProcess(builder.start(), output, millis, nanos);
  }

  long launchedAtMillis() {
    return launchedAtMillis;
  }

  long nanosSinceLaunch() {
    return System.nanoTime() - launchedAtNanos;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for the process to end by itself; kills it after {@code seconds}. Returns its exit code. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new IllegalStateException("child did not finish within " + seconds + " s:\n" + tail());
    }
    return process.exitValue();
  }

  List<String> lines() throws IOException {
    return Files.readAllLines(output);
  }

  String tail() {
    try {
      List<String> lines = lines();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Asks the process to stop (SIGTERM, so shutdown hooks run), then kills it if it lingers. */
  @Override
  public void close() throws IOException {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
