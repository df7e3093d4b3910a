package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.limit.CounterKey;
import dev.tollgate.limit.ScopeKey;
import dev.tollgate.limit.Window;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.Race;
import dev.tollgate.testing.ScriptedProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The limit holds exactly through the whole gateway: 32 concurrent callers on one counter, spread
 * over three gateway instances with their own SDK clients on one counters table in DynamoDB Local.
 * Upstreams answer with fewer completion tokens than reserved (as a real one must: never more than
 * {@code max_tokens}), or fail; every admitted token is counted once, failures give theirs back,
 * and what was admitted never passes the limit.
 */
class GatewayQuotaAccuracyTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  private static final int CALLERS = 32;
  private static final int REQUESTS_PER_CALLER = 8;
  private static final long LIMIT = 5_000;
  private static final Instant START = MutableClock.AHEAD.plusSeconds(5);

  private final List<DynamoDbClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(DynamoDbClient::close);
  }

  @Test
  void thirtyTwoCallersThroughThreeInstancesNeverOverAdmit() throws Exception {
    String prefix = dynamo.freshPrefix();
    DynamoDbClient admin = dynamo.serverClient();
    clients.add(admin);
    TableSchemas.createAll(admin, prefix);
    List<ConfigItem> items =
        List.of(
            ConfigItems.scriptedTarget("chat", "only").build(),
            ConfigItems.limit("completion-per-minute").with("metric", "completionTokens").with("limit", LIMIT)
                .with("window", "1m").build());
    AtomicLong admittedTokens = new AtomicLong();
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<GatewayHarness> instances = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      DynamoDbClient client = dynamo.serverClient();
      clients.add(client);
      GatewayHarness instance =
          GatewayHarness.withQuotaStore(items, new DynamoDbQuotaStore(client, prefix + TableSchemas.COUNTERS), START);
      instance.provider().on("only", GatewayQuotaAccuracyTest::answerWithinMaxTokensOrFail);
      instances.add(instance);
    }

    Race.run(CALLERS, caller -> {
      for (int n = 0; n < REQUESTS_PER_CALLER; n++) {
        GatewayHarness instance = instances.get((caller + n) % 3);
        GatewayResponse response = instance.chat(body(ThreadLocalRandom.current().nextInt(1, 501)));
        switch (response.status()) {
          case 200 -> {
            admitted.incrementAndGet();
            admittedTokens.addAndGet(Json.parse(response.bodyText()).path("usage").path("completion_tokens").asLong());
          }
          case 429 -> refused.incrementAndGet();
          case 502 -> failed.incrementAndGet();
          default -> throw new AssertionError("unexpected " + response.status() + ": " + response.bodyText());
        }
      }
    });

    long counted =
        new DynamoDbQuotaStore(admin, prefix + TableSchemas.COUNTERS)
            .read(List.of(new CounterKey("completion-per-minute", ScopeKey.GLOBAL, Window.fixed(Duration.ofMinutes(1)))), START)
            .getFirst()
            .used();
    long overAdmission = Math.max(0, admittedTokens.get() - LIMIT);
    System.out.printf(
        "gateway quota accuracy, 3 instances x %d callers: %d admitted (%d tokens), %d refused 429, %d failed upstream;"
            + " limit %d, counter %d, over-admission %d, under-use %d%n",
        CALLERS, admitted.get(), admittedTokens.get(), refused.get(), failed.get(), LIMIT, counted, overAdmission,
        LIMIT - admittedTokens.get());
    assertEquals(0, overAdmission, "admitted completion tokens never pass the limit");
    assertEquals(admittedTokens.get(), counted, "every admitted token counted once; failed requests gave theirs back");
    assertTrue(refused.get() > 0, "the demand was far above the limit, so some requests were refused");
    assertTrue(failed.get() > 0 && admitted.get() > 0);
  }

  /** Uses between none and all of max_tokens; one call in eight fails as a 500 would. */
  private static UpstreamResponse answerWithinMaxTokensOrFail(dev.tollgate.provider.UpstreamCall call) throws UpstreamFailure {
    if (ThreadLocalRandom.current().nextInt(8) == 0) {
      throw UpstreamFailure.of(FailureKind.SERVER_ERROR, "HTTP 500");
    }
    long completion = ThreadLocalRandom.current().nextLong(0, call.request().maxCompletionTokens() + 1);
    UpstreamResponse answer = ScriptedProvider.answer(call);
    Usage usage = new Usage(5, completion, 5 + completion);
    answer.completion().set("usage", usage.toOpenAi());
    return new UpstreamResponse(answer.completion(), usage);
  }

  private static String body(int maxTokens) {
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.put("max_tokens", maxTokens);
    return Json.text(body);
  }
}
