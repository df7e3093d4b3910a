package dev.tollgate.cache;

import static dev.tollgate.cache.CacheFixture.ALIAS;
import static dev.tollgate.cache.CacheFixture.KEY_A;
import static dev.tollgate.cache.CacheFixture.KEY_B;
import static dev.tollgate.cache.CacheFixture.KEY_C;
import static dev.tollgate.cache.CacheFixture.body;
import static dev.tollgate.cache.CacheFixture.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.audit.AuditRecord;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.ScriptedProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact response cache through the gateway: hits, misses, scopes, expiry, what is never stored, bypass. */
class CachePolicyTest {

  private static final Map<String, Object> EXACT = Map.of("mode", "exact");

  @Test
  void aRepeatedDeterministicRequestIsAnsweredFromTheCacheWithoutAnUpstreamCall() {
    CacheFixture f = new CacheFixture(EXACT);
    GatewayResponse first = f.send(KEY_A, body("hi"));
    f.harness.clock().advance(Duration.ofSeconds(42));
    GatewayResponse second = f.send(KEY_A, body("hi"));

    assertEquals("miss", first.header("x-tollgate-cache"));
    assertEquals("hit", second.header("x-tollgate-cache"));
    assertEquals("42", second.header("age"));
    assertNull(second.header("x-tollgate-cache-similarity"));
    assertEquals("answer 1", content(second));
    assertEquals(1, f.upstreamCalls.get());
    assertEquals(1, f.harness.metrics().sum(MetricNames.CACHE_HITS));
    assertEquals(1, f.harness.metrics().sum(MetricNames.CACHE_MISSES));
  }

  @Test
  void aHitIsAuditedAsAHitWithNoTokensNoCostAndNoTarget() {
    CacheFixture f = new CacheFixture(EXACT);
    f.send(KEY_A, body("hi"));
    GatewayResponse hit = f.send(KEY_A, body("hi"));

    List<AuditRecord> records = f.harness.audit().records();
    assertEquals("miss", records.get(0).cache());
    assertEquals(7, records.get(0).tokensIn());
    AuditRecord record = records.get(1);
    assertEquals("hit", record.cache());
    assertEquals(0, record.tokensIn());
    assertEquals(0, record.tokensOut());
    assertEquals(0, BigDecimal.ZERO.compareTo(record.costUsd()));
    assertEquals(List.of(), record.attempts());
    assertEquals("none", hit.header("x-tollgate-target"));
    // the body still tells what the answer cost when it was made
    assertEquals(10, CacheFixture.json(hit).path("usage").path("total_tokens").asInt());
  }

  @Test
  void aHitPassesTheCallersOwnResponseFiltersNotThoseOfWhoeverStoredIt() {
    ConfigItem freeTierFilter =
        ConfigItems.item(ItemKeys.filterPk("free-tier"), ItemKeys.FILTER_SK)
            .with("deny", List.of("answer \\d")).with("action", "block").with("groups", List.of("free")).build();
    CacheFixture f = new CacheFixture(Map.of("mode", "exact", "scope", "global"), TextEmbedder.NONE, List.of(freeTierFilter));

    GatewayResponse stored = f.send(KEY_A, body("hi")); // paid: no filter applies
    GatewayResponse hit = f.send(KEY_C, body("hi")); // free: the same entry, filtered for this caller

    assertEquals("answer 1", content(stored));
    assertEquals("hit", hit.header("x-tollgate-cache"));
    assertEquals("", content(hit));
    assertEquals("content_filter", CacheFixture.json(hit).at("/choices/0/finish_reason").asText());
    assertEquals(1, f.upstreamCalls.get());
  }

  @Test
  void aTtlShortenedAfterAnEntryWasStoredHoldsForThatEntry() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact", "ttlSeconds", 3600));
    f.send(KEY_A, body("hi"));
    f.harness.clock().advance(Duration.ofMinutes(10));
    List<ConfigItem> edited = new ArrayList<>(f.harness.source().load());
    edited.removeIf(item -> item.pk().equals(ItemKeys.cachePk("main")));
    edited.add(ConfigItems.item(ItemKeys.cachePk("main"), ItemKeys.CACHE_SK).withAll(Map.of("mode", "exact", "ttlSeconds", 300)).build());
    f.harness.source().replace(edited);

    assertEquals("miss", f.send(KEY_A, body("hi")).header("x-tollgate-cache"));
    assertEquals(2, f.upstreamCalls.get());
  }

  @Test
  void aDifferentParameterOrPromptMissesButFieldOrderAndTransportFieldsDoNot() {
    CacheFixture f = new CacheFixture(EXACT);
    f.send(KEY_A, body("hi"));
    assertEquals("miss", f.send(KEY_A, body("hi", ",\"max_tokens\":5")).header("x-tollgate-cache"));
    assertEquals("miss", f.send(KEY_A, body("hello")).header("x-tollgate-cache"));
    String reordered =
        "{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":0.0,\"model\":\"gpt\","
            + "\"user\":\"someone\",\"metadata\":{\"a\":\"b\"}}";
    GatewayResponse hit = f.send(KEY_A, reordered);
    assertEquals("hit", hit.header("x-tollgate-cache"));
    assertEquals("answer 1", content(hit));
    assertEquals(3, f.upstreamCalls.get());
  }

  @Test
  void consumerScopeNeverServesOneConsumerAnotherOnesAnswer() {
    CacheFixture f = new CacheFixture(EXACT);
    f.send(KEY_A, body("secret"));
    GatewayResponse other = f.send(KEY_B, body("secret"));
    assertEquals("miss", other.header("x-tollgate-cache"));
    assertEquals("answer 2", content(other));
    assertEquals("answer 1", content(f.send(KEY_A, body("secret"))));
    assertEquals("answer 2", content(f.send(KEY_B, body("secret"))));
  }

  @Test
  void groupScopeSharesInsideAGroupOnly() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact", "scope", "group"));
    f.send(KEY_A, body("q"));
    GatewayResponse sameGroup = f.send(KEY_B, body("q"));
    GatewayResponse otherGroup = f.send(KEY_C, body("q"));
    assertEquals("hit", sameGroup.header("x-tollgate-cache"));
    assertEquals("answer 1", content(sameGroup));
    assertEquals("miss", otherGroup.header("x-tollgate-cache"));
    assertEquals("answer 2", content(otherGroup));
  }

  @Test
  void globalScopeSharesWithEveryone() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact", "scope", "global"));
    f.send(KEY_A, body("q"));
    assertEquals("answer 1", content(f.send(KEY_C, body("q"))));
  }

  @Test
  void anEntryIsServedUntilItsTtlAndNeverAfter() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact", "ttlSeconds", 60));
    f.send(KEY_A, body("q"));
    f.harness.clock().advance(Duration.ofSeconds(59));
    assertEquals("hit", f.send(KEY_A, body("q")).header("x-tollgate-cache"));
    f.harness.clock().advance(Duration.ofSeconds(1));
    GatewayResponse expired = f.send(KEY_A, body("q"));
    assertEquals("miss", expired.header("x-tollgate-cache"));
    assertEquals("answer 2", content(expired));
  }

  @Test
  void onlyDeterministicRequestsAreCachedByDefault() {
    CacheFixture f = new CacheFixture(EXACT);
    String warm = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    assertEquals("bypass", f.send(KEY_A, warm).header("x-tollgate-cache"));
    assertEquals("bypass", f.send(KEY_A, warm).header("x-tollgate-cache"));
    assertEquals(2, f.upstreamCalls.get());
    String seeded = "{\"model\":\"gpt\",\"seed\":7,\"temperature\":0.8,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    f.send(KEY_A, seeded);
    assertEquals("hit", f.send(KEY_A, seeded).header("x-tollgate-cache"));
  }

  @Test
  void deterministicOnlyOffCachesSampledRequestsToo() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact", "deterministicOnly", false));
    String warm = "{\"model\":\"gpt\",\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    f.send(KEY_A, warm);
    assertEquals("hit", f.send(KEY_A, warm).header("x-tollgate-cache"));
  }

  @Test
  void errorsAreNeverCached() {
    CacheFixture f = new CacheFixture(EXACT);
    f.harness.provider().on("t1", ScriptedProvider.httpStatus(500));
    assertEquals(true, f.send(KEY_A, body("q")).status() >= 500);
    f.harness.provider().on("t1", ScriptedProvider.fails(FailureKind.TIMED_OUT));
    assertEquals(true, f.send(KEY_A, body("q")).status() >= 500);
    assertEquals(0, f.store.size());
    f.harness.provider().on("t1", ScriptedProvider::answer);
    GatewayResponse after = f.send(KEY_A, body("q"));
    assertEquals("miss", after.header("x-tollgate-cache"));
    assertEquals(200, after.status());
    assertEquals("hit", f.send(KEY_A, body("q")).header("x-tollgate-cache"));
  }

  @Test
  void aContentFilteredOrUnfinishedAnswerIsNotCached() {
    CacheFixture f = new CacheFixture(EXACT);
    f.harness.provider().on("t1", call -> {
      UpstreamResponse answer = ScriptedProvider.answer(call);
      ((com.fasterxml.jackson.databind.node.ObjectNode) answer.completion().path("choices").get(0))
          .put("finish_reason", "content_filter");
      return answer;
    });
    f.send(KEY_A, body("q"));
    assertEquals("miss", f.send(KEY_A, body("q")).header("x-tollgate-cache"));
    assertEquals(0, f.store.size());
  }

  @Test
  void anAnswerOverMaxEntryBytesIsSkippedAndCounted() {
    CacheFixture f = new CacheFixture(Map.of("mode", "exact", "maxEntryBytes", 100));
    f.send(KEY_A, body("q"));
    assertEquals("miss", f.send(KEY_A, body("q")).header("x-tollgate-cache"));
    assertEquals(2, f.harness.metrics().sum(MetricNames.CACHE_SKIPPED_OVERSIZE));
    assertEquals(0, f.store.size());
  }

  @Test
  void noCacheSkipsTheLookupButRefreshesTheEntry() {
    CacheFixture f = new CacheFixture(EXACT);
    f.send(KEY_A, body("q"));
    GatewayResponse bypassed = f.send(KEY_A, body("q"), Map.of("Cache-Control", "no-cache"));
    assertEquals("bypass", bypassed.header("x-tollgate-cache"));
    assertEquals("answer 2", content(bypassed));
    assertEquals("answer 2", content(f.send(KEY_A, body("q"))));
  }

  @Test
  void noStoreSkipsTheLookupAndTheWrite() {
    CacheFixture f = new CacheFixture(EXACT);
    GatewayResponse first = f.send(KEY_A, body("q"), Map.of("cache-control", "max-age=0, no-store"));
    assertEquals("bypass", first.header("x-tollgate-cache"));
    assertEquals("miss", f.send(KEY_A, body("q")).header("x-tollgate-cache"));
    assertEquals(2, f.upstreamCalls.get());
  }

  @Test
  void modeOffOrNoMatchingPolicyLeavesTheRequestAlone() {
    CacheFixture off = new CacheFixture(Map.of("mode", "off"));
    GatewayResponse response = off.send(KEY_A, body("q"));
    off.send(KEY_A, body("q"));
    assertNull(response.header("x-tollgate-cache"));
    assertEquals(2, off.upstreamCalls.get());
    assertEquals("off", off.harness.audit().records().get(0).cache());

    CacheFixture other = new CacheFixture(Map.of("mode", "exact", "models", List.of("another")));
    other.send(KEY_A, body("q"));
    assertNull(other.send(KEY_A, body("q")).header("x-tollgate-cache"));
  }

  @Test
  void aBrokenStoreIsAMissNeverAnError() {
    CacheStore broken = new CacheStore() {
      @Override
      public java.util.Optional<CachedAnswer> get(String key) {
        throw new CacheStoreException("down", null);
      }

      @Override
      public void put(CachedAnswer answer) {
        throw new CacheStoreException("down", null);
      }
    };
    var harness = dev.tollgate.testing.GatewayHarness.withPorts(
        List.of(dev.tollgate.testing.ConfigItems.scriptedTarget(ALIAS, "t1").build(),
            dev.tollgate.testing.ConfigItems.item("cache#main", "cache").with("mode", "exact").build()),
        ports -> ports.withCacheStore(broken), dev.tollgate.testing.MutableClock.ahead(Duration.ZERO));
    GatewayResponse response = harness.chat(body("q"));
    assertEquals(200, response.status());
    assertEquals("miss", response.header("x-tollgate-cache"));
    assertEquals(2, harness.metrics().sum(MetricNames.CACHE_STORE_FAILED));
  }
}
