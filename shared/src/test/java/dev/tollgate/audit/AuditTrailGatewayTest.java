package dev.tollgate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigSource;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.Settings;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.config.RefreshingConfig;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.limit.InMemoryQuotaStore;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.provider.Usage;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.RequestMetrics;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.MutableClock;
import dev.tollgate.testing.ScriptedProvider;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One audit record per request through the whole gateway, whatever became of the request:
 * answered, failed upstream, refused by a limit, unauthenticated, streamed (the record waits for
 * the stream's end and its usage), broken mid-stream, sent to an unknown path, or met with no
 * config at all; and payloads kept only where a route asks, redacted.
 */
class AuditTrailGatewayTest {

  private static final String SECRET = "jane.doe@example.com";

  private GatewayHarness harness(ConfigItem... extra) {
    List<ConfigItem> items = new ArrayList<>(List.of(
        ConfigItems.scriptedTarget("chat", "a").with("priority", 1)
            .with("priceInputPerMillion", 2).with("priceOutputPerMillion", 10).build(),
        ConfigItems.scriptedTarget("chat", "b").with("priority", 2).build()));
    items.addAll(List.of(extra));
    return new GatewayHarness(items);
  }

  /** A behaviour answering with exactly this usage (and the target's name as the text). */
  private static ScriptedProvider.Behaviour using(long prompt, long completion) {
    return call -> {
      UpstreamResponse answer = ScriptedProvider.answer(call);
      Usage usage = new Usage(prompt, completion, prompt + completion);
      answer.completion().set("usage", usage.toOpenAi());
      return new UpstreamResponse(answer.completion(), usage);
    };
  }

  private static AuditRecord only(GatewayHarness harness) {
    List<AuditRecord> records = harness.audit().records();
    assertEquals(1, records.size(), records.toString());
    return records.getFirst();
  }

  @Test
  void anAnsweredRequestRecordsWhoWhatHowLongAndTheCost() {
    GatewayHarness harness = harness();
    harness.provider().on("a", using(1_000, 500));

    GatewayResponse response = harness.chatWith("chat");

    assertEquals(200, response.status());
    AuditRecord record = only(harness);
    assertEquals(response.header(Gateway.REQUEST_ID), record.requestId());
    assertEquals("harness", record.consumer());
    assertEquals("default", record.group());
    assertEquals("chat", record.alias());
    assertEquals("POST", record.method());
    assertEquals(GatewayHarness.CHAT_PATH, record.path());
    assertEquals(List.of(new AuditRecord.AttemptEntry("a", "ok", record.attempts().getFirst().ms())), record.attempts());
    assertEquals(200, record.status());
    assertEquals("ok", record.outcome());
    assertEquals(1_000, record.tokensIn());
    assertEquals(500, record.tokensOut());
    // 1000 * $2/M + 500 * $10/M = $0.002 + $0.005
    assertEquals(0, new BigDecimal("0.007").compareTo(record.costUsd()), record.costUsd().toString());
    assertNotNull(record.ttftMs());
    assertTrue(record.upstreamMs() >= record.ttftMs());
    assertEquals(Double.parseDouble(response.header(Gateway.OVERHEAD_MS)), record.overheadMs(), 0.001);
    assertEquals("off", record.cache());
    assertEquals(List.of(), record.verdicts());
    assertNull(record.moderation());
    assertNull(record.prompt(), "payloads are off by default");
    assertNull(record.response());
    assertEquals(harness.clock().instant(), record.at(), "the clock stands still in this test");
    assertEquals(record.at().plus(Duration.ofDays(30)).getEpochSecond(), record.expiresAt(), "30 days by default");

    RequestMetrics metrics = harness.metrics().requests().getFirst();
    assertEquals(new RequestMetrics("chat", "a", "harness", 200, false, 1_000, 500, 0.007, metrics.latencyMs()), metrics);
  }

  @Test
  void anUpstreamFailureRecordsEveryAttemptAndTheErrorStatus() {
    GatewayHarness harness = harness();
    harness.provider().on("a", ScriptedProvider.httpStatus(500));
    harness.provider().on("b", ScriptedProvider.fails(FailureKind.TIMED_OUT));

    GatewayResponse response = harness.chatWith("chat");

    assertTrue(response.status() >= 500, response.bodyText());
    AuditRecord record = only(harness);
    assertEquals(response.status(), record.status());
    assertEquals("error " + response.status(), record.outcome());
    assertEquals(List.of("a", "b"), record.attempts().stream().map(AuditRecord.AttemptEntry::target).toList());
    assertTrue(record.attempts().getFirst().outcome().contains("500"), record.attempts().toString());
    assertTrue(record.attempts().get(1).outcome().contains("timed out"), record.attempts().toString());
    assertNull(record.costUsd(), "no target answered");
    assertNull(record.ttftMs());
    assertEquals(0, record.tokensIn());
    RequestMetrics metrics = harness.metrics().requests().getFirst();
    assertTrue(metrics.error());
    assertEquals(RequestMetrics.NONE, metrics.target());
    assertEquals(1, harness.metrics().sum(MetricNames.SERVER_ERRORS));
  }

  @Test
  void aLimitRefusalRecordsTheDecision() {
    GatewayHarness harness =
        harness(ConfigItems.limit("two-a-minute").with("metric", "requests").with("limit", 2).with("window", "1m").build());

    assertEquals(200, harness.chatWith("chat").status());
    assertEquals(200, harness.chatWith("chat").status());
    GatewayResponse refused = harness.chatWith("chat");

    assertEquals(429, refused.status());
    List<AuditRecord> records = harness.audit().records();
    assertEquals(3, records.size());
    AuditRecord record = records.get(2);
    assertEquals(429, record.status());
    assertEquals(List.of(), record.attempts(), "no upstream was called");
    assertEquals(1, record.verdicts().size(), record.verdicts().toString());
    Verdict verdict = record.verdicts().getFirst();
    assertEquals("limit", verdict.stage());
    assertEquals("two-a-minute", verdict.policy());
    assertEquals("refuse", verdict.action());
    assertTrue(verdict.detail().contains("0 left"), verdict.detail());
  }

  @Test
  void aTargetSkippedForItsOwnLimitIsRecordedAsASkip() {
    GatewayHarness harness =
        harness(ConfigItems.limit("a-once").with("metric", "requests").with("limit", 1).with("window", "1m")
            .with("targets", List.of("a")).with("scope", List.of("target")).build());

    harness.chatWith("chat");
    GatewayResponse second = harness.chatWith("chat");

    assertEquals(200, second.status());
    AuditRecord record = harness.audit().records().get(1);
    assertEquals(List.of("b"), record.attempts().stream().map(AuditRecord.AttemptEntry::target).toList());
    assertEquals(List.of("skip"), record.verdicts().stream().map(Verdict::action).toList());
    assertTrue(record.verdicts().getFirst().detail().startsWith("target a:"), record.verdicts().toString());
  }

  @Test
  void anUnauthenticatedRequestIsRecordedWithoutAConsumer() {
    GatewayHarness harness = harness();

    GatewayResponse response =
        harness.send("POST", GatewayHarness.CHAT_PATH, Map.of("Authorization", "Bearer tg-wrong"), GatewayHarness.chatBody("chat"));

    assertEquals(401, response.status());
    AuditRecord record = only(harness);
    assertEquals(AuditRecord.NO_CONSUMER, record.consumer());
    assertEquals("", record.group());
    assertEquals("", record.alias(), "the body is not read before authentication");
    assertEquals(401, record.status());
    assertEquals(RequestMetrics.NONE, harness.metrics().requests().getFirst().consumer());
  }

  @Test
  void anUnknownPathIsRecordedAndAHealthCheckIsNot() {
    GatewayHarness harness = harness();

    assertEquals(404, harness.send("GET", "/v1/nothing-here", Map.of(), "").status());
    assertEquals(200, harness.send("GET", Gateway.HEALTH_PATH, Map.of(), "").status());

    AuditRecord record = only(harness);
    assertEquals(404, record.status());
    assertEquals("/v1/nothing-here", record.path());
  }

  @Test
  void aStreamIsRecordedOnceItsBodyIsOverWithTheStreamedUsage() throws Exception {
    GatewayHarness harness = harness();
    harness.provider().onStream("a", call -> new BufferedChunkStream(List.of(chunk("hi "), chunk("there")), new Usage(7, 9, 16)));
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.put("stream", true);

    GatewayResponse response =
        harness.gateway().handleStreaming(
            new GatewayRequest("POST", GatewayHarness.CHAT_PATH, Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY),
                Json.bytes(body), "req-stream"));

    assertTrue(response.streamed());
    assertEquals(List.of(), harness.audit().records(), "nothing is recorded before the body is written");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    response.stream().writeTo(out::writeBytes);
    AuditRecord record = only(harness);
    assertEquals("req-stream", record.requestId());
    assertEquals("ok", record.outcome());
    assertEquals(7, record.tokensIn());
    assertEquals(9, record.tokensOut());
    assertNotNull(record.ttftMs());
    assertTrue(record.upstreamMs() >= record.ttftMs(), "a stream's upstream time runs to its end");
  }

  @Test
  void aStreamThatBreaksIsRecordedWithHowItEnded() {
    GatewayHarness harness = harness();
    harness.provider().onStream("a", call -> new BrokenStream());
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.put("stream", true);

    GatewayResponse response = harness.chat(Json.text(body));

    assertEquals(200, response.status());
    AuditRecord record = only(harness);
    assertEquals(200, record.status(), "the client had its 200 before the break");
    assertEquals(FailureKind.NETWORK_ERROR.label(), record.outcome());
    assertTrue(harness.metrics().requests().getFirst().error(), "a broken stream counts as an error");
  }

  @Test
  void aRequestWithNoConfigToRunIsStillRecorded() {
    InMemoryAuditSink sink = new InMemoryAuditSink();
    ConfigSource unreadable = new ConfigSource() {
      @Override
      public List<ConfigItem> load() {
        throw new IllegalStateException("table unreachable");
      }

      @Override
      public String describe() {
        return "unreadable";
      }
    };
    MutableClock clock = MutableClock.startingAt("2026-01-02T03:04:05Z");
    Gateway gateway =
        GatewayAssembly.build(
            new GatewayAssembly.Ports(unreadable, new EnvCredentialResolver(Map.of()), new InMemoryMetrics(), clock,
                Duration.ofSeconds(15), RandomSource.seeded(1), new InMemoryQuotaStore(), sink),
            new ProviderRegistry().register(new MockProvider(clock)),
            RefreshingConfig.IN_PLACE);

    GatewayResponse response =
        gateway.handle(new GatewayRequest("POST", GatewayHarness.CHAT_PATH, Map.of(), Json.bytes(GatewayHarness.chatJson("chat")), "req-no-config"));

    assertEquals(503, response.status());
    assertEquals(1, sink.records().size());
    AuditRecord record = sink.records().getFirst();
    assertEquals("req-no-config", record.requestId());
    assertEquals(503, record.status());
    assertEquals(AuditRecord.NO_CONSUMER, record.consumer());
    assertEquals(clock.instant().plus(Duration.ofDays(30)).getEpochSecond(), record.expiresAt());
  }

  @Test
  void payloadsAreKeptOnlyWhereTheRouteAsksAndAlwaysRedacted() {
    GatewayHarness harness =
        harness(
            ConfigItems.route("chat").with("auditPayloads", true).build(),
            ConfigItems.scriptedTarget("plain", "p").build());
    harness.redactPayloadsWith(text -> text.replace(SECRET, "[EMAIL]").replace("answer", "[ANSWER]"));
    harness.provider().on("a", call -> ScriptedProvider.answer(call));
    ObjectNode body = GatewayHarness.chatJson("chat");
    body.withArray("messages").addObject().put("role", "user").put("content", "mail me at " + SECRET);

    assertEquals(200, harness.chat(Json.text(body)).status());
    assertEquals(200, harness.chat(Json.text(body.put("model", "plain"))).status());

    AuditRecord kept = harness.audit().records().get(0);
    assertEquals("user: hello\nuser: mail me at [EMAIL]", kept.prompt());
    assertEquals("[ANSWER] from a", kept.response());
    assertFalse(kept.toJson().toString().contains(SECRET));
    AuditRecord plain = harness.audit().records().get(1);
    assertNull(plain.prompt(), "a route without auditPayloads keeps none");
    assertNull(plain.response());
  }

  @Test
  void aRedactorThatFailsKeepsNoPayloadAndTheRequestGoesOn() {
    GatewayHarness harness = harness(ConfigItems.route("chat").with("auditPayloads", true).build());
    harness.redactPayloadsWith(text -> {
      throw new IllegalStateException("broken redactor");
    });

    assertEquals(200, harness.chatWith("chat").status());

    AuditRecord record = only(harness);
    assertNull(record.prompt());
    assertNull(record.response());
  }

  @Test
  void retentionFollowsTheSetting() {
    GatewayHarness harness = harness(ConfigItems.settings().with("auditRetentionDays", 7).build());

    harness.chatWith("chat");

    AuditRecord record = only(harness);
    assertEquals(record.at().plus(Duration.ofDays(7)).getEpochSecond(), record.expiresAt());
  }

  @Test
  void aModerationVerdictMarksTheRecordPending() {
    InMemoryAuditSink sink = new InMemoryAuditSink();
    AuditTrail trail = new AuditTrail(sink, AuditTrail.NO_REDACTION, () -> Instant.EPOCH, new InMemoryMetrics());
    Exchange exchange =
        new Exchange(
            new GatewayRequest("POST", GatewayHarness.CHAT_PATH, Map.of(), new byte[0], "req-m"),
            System.nanoTime(),
            new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), Instant.EPOCH));
    exchange.verdict(new Verdict(AuditTrail.MODERATION_STAGE, "output-check", "pending", ""));
    exchange.afterComplete(() -> trail.completed(exchange, Instant.EPOCH));

    exchange.complete("ok");

    assertEquals("pending", sink.records().getFirst().moderation());
  }

  @Test
  void aRecordThatCannotBeBuiltStillLeavesABareOne() {
    InMemoryAuditSink sink = new InMemoryAuditSink();
    AuditTrail trail = new AuditTrail(sink, AuditTrail.NO_REDACTION, () -> Instant.EPOCH, new InMemoryMetrics());
    // A snapshot without settings: building the full record fails when it reads the retention.
    Exchange exchange =
        new Exchange(
            new GatewayRequest("POST", GatewayHarness.CHAT_PATH, Map.of(), new byte[0], "req-broken"),
            System.nanoTime(),
            new GatewayConfig(null, Map.of(), Map.of(), Instant.EPOCH));
    exchange.status(200);

    trail.completed(exchange, Instant.EPOCH);

    AuditRecord record = sink.records().getFirst();
    assertEquals(1, sink.records().size());
    assertEquals("req-broken", record.requestId());
    assertEquals(200, record.status());
    assertTrue(record.outcome().startsWith("audit record incomplete: "), record.outcome());
  }

  @Test
  void aSinkThatThrowsDoesNotFailTheRequest() {
    InMemoryMetrics metrics = new InMemoryMetrics();
    AuditTrail trail =
        new AuditTrail(record -> { throw new IllegalStateException("down"); }, AuditTrail.NO_REDACTION, () -> Instant.EPOCH, metrics);

    trail.unrouted(new GatewayRequest("GET", "/v1/models", Map.of(), new byte[0], "req-x"), Instant.EPOCH, 503, System.nanoTime());

    assertEquals(1, metrics.sum(MetricNames.AUDIT_FALLBACKS));
  }

  private static ObjectNode chunk(String text) {
    ObjectNode chunk = Json.object();
    chunk.put("id", "c").put("object", "chat.completion.chunk").put("created", 0).put("model", "m");
    chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", text);
    return chunk;
  }

  /** One chunk, then the connection drops. */
  private static final class BrokenStream implements ChunkStream {
    private boolean sent;

    @Override
    public Optional<ObjectNode> next() throws UpstreamFailure {
      if (!sent) {
        sent = true;
        return Optional.of(chunk("partial"));
      }
      throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "connection reset");
    }

    @Override
    public Usage usage() {
      return Usage.NONE;
    }

    @Override
    public void close() {}
  }
}
