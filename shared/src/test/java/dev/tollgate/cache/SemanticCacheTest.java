package dev.tollgate.cache;

import static dev.tollgate.cache.CacheFixture.KEY_A;
import static dev.tollgate.cache.CacheFixture.KEY_B;
import static dev.tollgate.cache.CacheFixture.body;
import static dev.tollgate.cache.CacheFixture.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.HashingEmbedder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The semantic cache with a bag-of-words embedder: "what is the capital of france" and the same
 * plus "please" score 6/sqrt(42) = 0.926; texts sharing no word score 0.
 */
class SemanticCacheTest {

  private static final String ASKED = "what is the capital of france";
  private static final String REWORDED = "what is the capital of france please";

  private static CacheFixture semantic(double similarity) {
    return new CacheFixture(Map.of("mode", "semantic", "similarity", similarity), new HashingEmbedder());
  }

  @Test
  void theSameWordsAboutAnotherImageAreNoHit() {
    CacheFixture f = semantic(0.9);
    String aboutA = imageQuestion("data:image/png;base64,AAAA");
    String aboutB = imageQuestion("data:image/png;base64,BBBB");

    f.send(KEY_A, aboutA);
    GatewayResponse other = f.send(KEY_A, aboutB);
    GatewayResponse same = f.send(KEY_A, aboutA);

    assertEquals("miss", other.header("x-tollgate-cache"));
    assertEquals("answer 2", content(other));
    assertEquals("hit", same.header("x-tollgate-cache"));
  }

  private static String imageQuestion(String url) {
    return "{\"model\":\"" + CacheFixture.ALIAS + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"" + ASKED + "\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}]}]}";
  }

  @Test
  void aSimilarQuestionAboveTheThresholdIsAHitWithItsSimilarity() {
    CacheFixture f = semantic(0.9);
    f.send(KEY_A, body(ASKED));
    GatewayResponse hit = f.send(KEY_A, body(REWORDED));

    assertEquals("hit", hit.header("x-tollgate-cache"));
    assertEquals("0.926", hit.header("x-tollgate-cache-similarity"));
    assertEquals("answer 1", content(hit));
    assertEquals(1, f.upstreamCalls.get());
    assertEquals(1, f.harness.metrics().sum(MetricNames.CACHE_SEMANTIC_HITS));
  }

  @Test
  void belowTheThresholdItIsAMiss() {
    CacheFixture f = semantic(0.95);
    f.send(KEY_A, body(ASKED));
    GatewayResponse miss = f.send(KEY_A, body(REWORDED));
    assertEquals("miss", miss.header("x-tollgate-cache"));
    assertEquals("answer 2", content(miss));
  }

  @Test
  void anExactRepeatIsAnExactHitWithoutSimilarity() {
    CacheFixture f = semantic(0.9);
    f.send(KEY_A, body(ASKED));
    GatewayResponse hit = f.send(KEY_A, body(ASKED));
    assertEquals("hit", hit.header("x-tollgate-cache"));
    assertNull(hit.header("x-tollgate-cache-similarity"));
  }

  @Test
  void theBestOfSeveralEntriesWins() {
    CacheFixture f = semantic(0.5);
    f.send(KEY_A, body("tell me a joke about cats"));
    f.send(KEY_A, body(ASKED));
    GatewayResponse hit = f.send(KEY_A, body(REWORDED));
    assertEquals("answer 2", content(hit));
  }

  @Test
  void onlyTheLastUserMessagesWordingMayDiffer() {
    CacheFixture f = semantic(0.9);
    f.send(KEY_A, body(ASKED));
    String withSystem = "{\"model\":\"gpt\",\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
        + "{\"role\":\"user\",\"content\":\"" + REWORDED + "\"}]}";
    assertEquals("miss", f.send(KEY_A, withSystem).header("x-tollgate-cache"));
    assertEquals("miss", f.send(KEY_A, body(REWORDED, ",\"max_tokens\":9")).header("x-tollgate-cache"));
  }

  @Test
  void semanticHitsStayInsideTheScope() {
    CacheFixture f = semantic(0.9);
    f.send(KEY_A, body(ASKED));
    GatewayResponse other = f.send(KEY_B, body(REWORDED));
    assertEquals("miss", other.header("x-tollgate-cache"));
    assertEquals("answer 2", content(other));
  }

  @Test
  void expiredEntriesAreNotMatched() {
    CacheFixture f = new CacheFixture(
        Map.of("mode", "semantic", "similarity", 0.9, "ttlSeconds", 60), new HashingEmbedder());
    f.send(KEY_A, body(ASKED));
    f.harness.clock().advance(Duration.ofSeconds(61));
    assertEquals("miss", f.send(KEY_A, body(REWORDED)).header("x-tollgate-cache"));
  }

  @Test
  void anEmbeddingFailureIsACountedMissNeverAnError() {
    CacheFixture f = new CacheFixture(Map.of("mode", "semantic"), TextEmbedder.NONE);
    GatewayResponse first = f.send(KEY_A, body(ASKED));
    GatewayResponse reworded = f.send(KEY_A, body(REWORDED));
    GatewayResponse exact = f.send(KEY_A, body(ASKED));

    assertEquals(200, first.status());
    assertEquals("miss", reworded.header("x-tollgate-cache"));
    assertEquals("hit", exact.header("x-tollgate-cache"));
    assertEquals(true, f.harness.metrics().sum(MetricNames.CACHE_EMBEDDING_FAILED) >= 2);
  }
}
