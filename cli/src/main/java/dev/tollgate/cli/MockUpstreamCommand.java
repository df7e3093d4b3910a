package dev.tollgate.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate mock-upstream}: an OpenAI-compatible echo server on loopback. */
@Command(name = "mock-upstream", mixinStandardHelpOptions = true,
    description = "Serve an OpenAI-compatible echo model and a Bedrock ApplyGuardrail stand-in on 127.0.0.1 (for benchmarks and trials).")
final class MockUpstreamCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9090", description = "port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--latency-ms", defaultValue = "0", description = "delay before each answer (default: ${DEFAULT-VALUE})")
  long latencyMs;

  @Option(names = "--chunk-interval-ms", defaultValue = "20",
      description = "pause between streamed chunks, one word each (default: ${DEFAULT-VALUE})")
  long chunkIntervalMs;

  @Option(names = "--block-word", defaultValue = MockUpstreamServer.DEFAULT_BLOCK_WORD,
      description = "its ApplyGuardrail (POST /guardrail/{id}/version/{v}/apply) intervenes on texts with this word (default: ${DEFAULT-VALUE})")
  String blockWord;

  @Override
  public Integer call() throws Exception {
    MockUpstreamServer server =
        MockUpstreamServer.start(port, Duration.ofMillis(latencyMs), Duration.ofMillis(chunkIntervalMs), blockWord);
    System.out.println("Mock upstream: http://127.0.0.1:" + server.port() + "/v1/chat/completions");
    System.out.println("Mock guardrail: http://127.0.0.1:" + server.port() + " (tollgate dev --guardrail-endpoint; blocks \"" + blockWord + "\")");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
