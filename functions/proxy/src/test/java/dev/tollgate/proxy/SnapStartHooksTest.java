package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SnapStart hooks: priming answers its samples without any AWS call, the checkpoint hook
 * survives an unreachable DynamoDB (a failed snapshot would fail the deployment), and the restore
 * hook makes no call itself but makes the next request reload config.
 */
class SnapStartHooksTest {

  /** Priming's samples: chat, stream, models, bad JSON, bad key. */
  private static final int PRIMING_SAMPLES = 7;

  @Test
  void primingAnswersEverySampleAsExpectedWithoutCallingAws() throws Exception {
    int[] answered = new int[1];
    List<AwsCallRecorder.Call> calls = AwsCallRecorder.record(() -> answered[0] = Priming.run());
    assertEquals(PRIMING_SAMPLES, answered[0], "samples answered with the status expected of them");
    assertEquals(List.of(), calls, "priming runs in memory");
  }

  @Test
  void beforeCheckpointPrimesAndLoadsConfigFromTheTable() throws Exception {
    ProxyHandler handler = new ProxyHandler(ProxyTestBed.withExampleConfig().environment());
    List<AwsCallRecorder.Call> calls = AwsCallRecorder.record(() -> handler.beforeCheckpoint(null));
    // The warm-up request loads config (Scan) and, like every request, leaves an audit record
    // (PutItem), which warms the audit client into the snapshot too.
    assertEquals(
        List.of("DynamoDb.Scan", "DynamoDb.PutItem"), calls.stream().map(c -> c.service() + "." + c.operation()).distinct().toList());
  }

  @Test
  void beforeCheckpointCompletesWhenConfigCannotBeLoaded() {
    // A table that does not exist fails at once; an unreachable endpoint fails the same way after
    // the SDK's DynamoDB retries (up to 9 attempts with backoff), too slow for a unit test.
    Map<String, String> env = new HashMap<>(ProxyTestBed.withExampleConfig().environment());
    env.put(ProxyEnvironment.CONFIG_TABLE.variable(), "no-such-table");
    ProxyHandler handler = new ProxyHandler(env);
    handler.beforeCheckpoint(null); // throws if priming or the failed config load escapes
    assertEquals(503, handle(handler, "chat.json"), "without config the gateway answers 503, it does not crash");
  }

  @Test
  void afterRestoreCallsNothingAndTheNextRequestSeesTheCurrentConfig() throws Exception {
    ProxyTestBed bed = ProxyTestBed.withExampleConfig();
    Map<String, String> env = new HashMap<>(bed.environment());
    env.put(ProxyEnvironment.CONFIG_REFRESH_SECONDS.variable(), "3600");
    ProxyHandler handler = new ProxyHandler(env);
    assertEquals(200, handle(handler, "chat.json"));

    // The snapshot's config is stale after a restore: here the mock model has been disabled.
    bed.apply(
        """
        {"models": {"mock": {"targets": [{"id": "mock-echo", "provider": "mock", "enabled": false}]}}}
        """);
    assertEquals(200, handle(handler, "chat.json"), "within the refresh interval the cached config answers");

    List<AwsCallRecorder.Call> calls = AwsCallRecorder.record(() -> handler.afterRestore(null));
    assertEquals(List.of(), calls, "afterRestore itself makes no call");
    assertEquals(503, handle(handler, "chat.json"), "the first request after a restore reloads config");
  }

  private static int handle(ProxyHandler handler, String eventFile) {
    APIGatewayV2HTTPEvent event =
        EventLoader.loadApiGatewayHttpEvent(ProxyTestBed.repoRoot().resolve("events").resolve(eventFile).toString());
    return handler.handleRequest(event, ProxyTestBed.context("hooks")).getStatusCode();
  }
}
