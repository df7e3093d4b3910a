package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScopeKeyTest {

  private static final LimitScope CONSUMER = LimitScope.parse("consumer").orElseThrow();
  private static final LimitScope TENANT = LimitScope.parse("header:X-Tenant").orElseThrow();

  private static ScopeKey.Values values(Map<String, String> byPart) {
    return part -> Optional.ofNullable(byPart.get(part.toString()));
  }

  @Test
  void aGlobalPolicyHasOneKey() {
    assertEquals("*", ScopeKey.of(List.of(), values(Map.of("consumer", "alice"))));
    assertEquals(Map.of(), ScopeKey.parse("*"));
  }

  @Test
  void partsJoinInThePolicysOrderAndParseBack() {
    String key = ScopeKey.of(List.of(CONSUMER, TENANT), values(Map.of("consumer", "alice", "header:x-tenant", "acme")));
    assertEquals("consumer=alice|header:x-tenant=acme", key);
    assertEquals(Map.of("consumer", "alice", "header:x-tenant", "acme"), ScopeKey.parse(key));
  }

  @Test
  void separatorsPercentSignsControlsAndUnicodeSurviveTheRoundTrip() {
    String tricky = "a|b=c%d\ne \u00e9\u4e2d";
    String key = ScopeKey.of(List.of(TENANT, CONSUMER), values(Map.of("header:x-tenant", tricky, "consumer", "bob")));
    assertEquals("header:x-tenant=a%7Cb%3Dc%25d%0Ae \u00e9\u4e2d|consumer=bob", key);
    assertEquals(Map.of("header:x-tenant", tricky, "consumer", "bob"), ScopeKey.parse(key));
  }

  @Test
  void aMissingValueCountsUnderTheEmptyOne() {
    assertEquals("consumer=alice|header:x-tenant=", ScopeKey.of(List.of(CONSUMER, TENANT), values(Map.of("consumer", "alice"))));
  }

  @Test
  void aValueTooLongForAKeyIsKeptAsItsHash() {
    String key = ScopeKey.of(List.of(TENANT), values(Map.of("header:x-tenant", "x".repeat(300))));
    assertTrue(key.matches("header:x-tenant=~[0-9a-f]{64}"), key);
    assertEquals(key, ScopeKey.of(List.of(TENANT), values(Map.of("header:x-tenant", "x".repeat(300)))));
  }
}
