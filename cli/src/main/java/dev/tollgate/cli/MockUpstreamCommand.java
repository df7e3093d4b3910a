package dev.tollgate.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate mock-upstream}: an OpenAI-compatible echo server on loopback. */
@Command(name = "mock-upstream", mixinStandardHelpOptions = true,
    description = "Serve an OpenAI-compatible echo model on 127.0.0.1 (for benchmarks and trials).")
final class MockUpstreamCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9090", description = "port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--latency-ms", defaultValue = "0", description = "delay before each answer (default: ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(names = "--chunk-interval-ms", defaultValue = "20",
      description = "pause between streamed chunks, one word each (default: ${DEFAULT-VALUE})")
  long chunkIntervalMs;

  @Override
  public Integer call() throws Exception {
    MockUpstreamServer server = MockUpstreamServer.start(port, Duration.ofMillis(latencyMs), Duration.ofMillis(chunkIntervalMs));
    System.out.println("Mock upstream: http://127.0.0.1:" + server.port() + "/v1/chat/completions");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
