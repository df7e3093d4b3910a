package dev.tollgate.auth;

import static dev.tollgate.testing.ConfigItems.keyFor;
import static dev.tollgate.testing.ConfigItems.scriptedTarget;
import static dev.tollgate.testing.GatewayHarness.CHAT_PATH;
import static dev.tollgate.testing.GatewayHarness.chatBody;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.testing.GatewayHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may call, through a real gateway: key presentation, refusals that reveal nothing, model grants. */
class AuthPolicyTest {

  private static final String ALICE = "tg-alice-key-0001";
  private static final String RETIRED = "tg-retired-key-0002";

  private final GatewayHarness harness =
      new GatewayHarness(
          List.of(
              scriptedTarget("chat", "a").build(),
              scriptedTarget("private", "p").build(),
              keyFor(ALICE, "alice", "chat").build(),
              keyFor(RETIRED, "bob", "*").with("enabled", false).build()));

  private GatewayResponse chat(Map<String, String> headers, String alias) {
    return harness.send("POST", CHAT_PATH, headers, chatBody(alias));
  }

  @Test
  void aBearerKeyIsAccepted() {
    assertEquals(200, chat(Map.of("Authorization", "Bearer " + ALICE), "chat").status());
  }

  @Test
  void theBearerSchemeIsCaseInsensitive() {
    assertEquals(200, chat(Map.of("authorization", "bearer " + ALICE), "chat").status());
  }

  @Test
  void anXApiKeyHeaderIsAccepted() {
    assertEquals(200, chat(Map.of("X-Api-Key", ALICE), "chat").status());
  }

  @Test
  void refusalsOfUnknownDisabledAndMalformedKeysAreByteIdentical() {
    GatewayResponse unknown = chat(Map.of("Authorization", "Bearer tg-nobody-knows-this"), "chat");
    List<GatewayResponse> others =
        List.of(
            chat(Map.of("Authorization", "Bearer " + RETIRED), "chat"),
            chat(Map.of("x-api-key", RETIRED), "chat"),
            chat(Map.of("Authorization", "Basic xyz"), "chat"),
            chat(Map.of("Authorization", "Bearer " + "k".repeat(513)), "chat"),
            chat(Map.of("x-api-key", "k".repeat(10_000)), "chat"));

    assertEquals(401, unknown.status());
    assertEquals("invalid_api_key", errorCode(unknown));
    for (GatewayResponse other : others) {
      assertEquals(401, other.status());
      assertEquals(unknown.bodyText(), other.bodyText());
      assertEquals(unknown.header("content-type"), other.header("content-type"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Bearer ", "Bearer    "})
  void aMissingKeyIsNamedAsMissing(String authorization) {
    Map<String, String> headers = authorization.isEmpty() ? Map.of() : Map.of("Authorization", authorization);

    GatewayResponse response = chat(headers, "chat");

    assertEquals(401, response.status());
    assertEquals("missing_api_key", errorCode(response));
  }

  @Test
  void aConsumerMayNotUseAnAliasItWasNotGranted() {
    GatewayResponse response = chat(Map.of("Authorization", "Bearer " + ALICE), "private");

    assertEquals(403, response.status());
    assertEquals("model_not_allowed", errorCode(response));
    assertTrue(harness.provider().calls().isEmpty());
  }

  @Test
  void anUnknownAliasIsNotFound() {
    GatewayResponse response = chat(Map.of("Authorization", "Bearer " + ALICE), "no-such-model");

    assertEquals(404, response.status());
    assertEquals("model_not_found", errorCode(response));
  }

  @Test
  void refusedRequestsNeverReachAnUpstream() {
    chat(Map.of("Authorization", "Bearer tg-wrong"), "chat");
    chat(Map.of(), "chat");

    assertTrue(harness.provider().calls().isEmpty());
  }
}
