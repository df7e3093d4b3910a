package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.limit.LimitScope.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The config spelling of scope parts, both ways, and the rules a part and a policy hold to. */
class LimitScopeTest {

  @ParameterizedTest
  @ValueSource(strings = {"route", "target", "consumer", "group", "header:x-tenant", "metadata:project.id"})
  void everySpellingParsesAndPrintsBack(String text) {
    assertEquals(text, LimitScope.parse(text).orElseThrow().toString());
  }

  @Test
  void headerNamesAreCaseInsensitiveMetadataFieldsAreNot() {
    assertEquals(new LimitScope(Kind.HEADER, "x-tenant"), LimitScope.parse("header:X-Tenant").orElseThrow());
    assertEquals("Project", LimitScope.parse("metadata:Project").orElseThrow().name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "user", "ROUTE", "route:", "group:x", "header:", "header:a b", "metadata:", "metadata:a:b"})
  void anythingElseDoesNotParse(String text) {
    assertTrue(LimitScope.parse(text).isEmpty(), text);
  }

  @Test
  void aPolicyRefusesAScopePartTwiceABadNameAndAnOutOfRangeLimit() {
    Window minute = Window.fixed(java.time.Duration.ofMinutes(1));
    LimitScope consumer = new LimitScope(Kind.CONSUMER, null);

    assertThrows(IllegalArgumentException.class, () -> policy("p", 10, List.of(consumer, consumer), minute));
    assertThrows(IllegalArgumentException.class, () -> policy("a#b", 10, List.of(), minute));
    assertThrows(IllegalArgumentException.class, () -> policy("p", 0, List.of(), minute));
    assertThrows(IllegalArgumentException.class, () -> policy("p", Draw.MAX + 1, List.of(), minute));
    assertEquals(List.of(consumer), policy("p", Draw.MAX, List.of(consumer), minute).scope());
  }

  private static LimitPolicy policy(String name, long limit, List<LimitScope> scope, Window window) {
    return new LimitPolicy(
        name, LimitPolicy.Metric.REQUESTS, limit, window, scope, LimitMatch.ANY, LimitPolicy.Mode.CLUSTER,
        LimitPolicy.StoreFailure.FAIL_CLOSED, LimitPolicy.DEFAULT_MAX_TOKENS, false);
  }
}
