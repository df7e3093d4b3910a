package dev.tollgate.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate dev}: the gateway on localhost with DynamoDB Local in-process. */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Run the gateway locally on 127.0.0.1.")
final class DevCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
  int port;

  @Option(names = "--config", description = "YAML config (default: config/dev.yaml, or the copy in the jar)")
  Path config;

  @Option(names = "--demo-key", description = "use this demo API key instead of a new random one")
  String demoKey;

  @Option(names = "--dynamodb-port", description = "also serve DynamoDB Local on this port, for `aws dynamodb --endpoint-url`")
  Integer dynamoDbPort;

  @Option(names = "--refresh-seconds", defaultValue = "15", description = "config reload interval (default: ${DEFAULT-VALUE})")
  long refreshSeconds;

  @Option(names = "--guardrail-endpoint",
      description = "call Bedrock ApplyGuardrail here instead of AWS, e.g. http://127.0.0.1:9090 (tollgate mock-upstream)")
  URI guardrailEndpoint;

  @Option(names = "--no-audit",
      description = "write no audit records (a benchmark of the gateway itself; output moderation then has no record to update)")
  boolean noAudit;

  @Override
  public Integer call() throws Exception {
    DevServer.Options options =
        new DevServer.Options(
            Optional.ofNullable(config),
            "127.0.0.1",
            port,
            Optional.ofNullable(demoKey),
            Optional.ofNullable(dynamoDbPort),
            Duration.ofSeconds(refreshSeconds),
            System.getenv(),
            Optional.ofNullable(guardrailEndpoint),
            !noAudit);
    DevServer server;
    try {
      server = DevServer.start(options, System.out);
    } catch (DevServer.InvalidConfig e) {
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
    return 0;
  }
}
