package dev.tollgate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.FakeUpstream;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.UpstreamMisbehaviour;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real gateway over two real upstreams: when the first target misbehaves the request moves to
 * the second, and when both fail the client gets the right status and an error naming the
 * targets tried, never a credential. A request the upstream rejects is not retried elsewhere.
 */
class GatewayFailoverWireTest {

  @RegisterExtension static final WireMockExtension primary = FakeUpstream.server();
  @RegisterExtension static final WireMockExtension secondary = FakeUpstream.server();

  private static final String PRIMARY_SECRET = "Zq7vLm2Pw9Rx4Tn8";
  private static final String SECONDARY_SECRET = "Hk3sDf8Gj2Lp5Wq1";
  private static final Map<String, String> ENVIRONMENT =
      Map.of("PRIMARY_KEY", PRIMARY_SECRET, "SECONDARY_KEY", SECONDARY_SECRET);
  private static final int GENEROUS = UpstreamMisbehaviour.GENEROUS_TIMEOUT_MS;

  /** The route {@code chat}: primary (priority 1) first, then secondary (priority 2). */
  private static GatewayHarness gateway(String primaryUrl, int primaryTimeoutMs, int secondaryTimeoutMs) {
    List<ConfigItem> items =
        List.of(
            ConfigItems.apiKey(),
            ConfigItems.target(
                "chat",
                "primary",
                Map.of(
                    "provider", "openai",
                    "model", "gpt-primary",
                    "baseUrl", primaryUrl + "/v1",
                    "credential", "env:PRIMARY_KEY",
                    "priority", 1,
                    "timeoutMs", primaryTimeoutMs)),
            ConfigItems.target(
                "chat",
                "secondary",
                Map.of(
                    "provider", "openai",
                    "model", "gpt-secondary",
                    "baseUrl", FakeUpstream.baseUrl(secondary) + "/v1",
                    "credential", "env:SECONDARY_KEY",
                    "priority", 2,
                    "timeoutMs", secondaryTimeoutMs)));
    return GatewayHarness.withStandardProviders(new StaticConfigSource("failover test", items), ENVIRONMENT, Duration.ofMinutes(5));
  }

  private static GatewayHarness gateway(int primaryTimeoutMs, int secondaryTimeoutMs) {
    return gateway(FakeUpstream.baseUrl(primary), primaryTimeoutMs, secondaryTimeoutMs);
  }

  private static void stub(WireMockExtension server, ResponseDefinitionBuilder response) {
    server.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(response));
  }

  private static int received(WireMockExtension server) {
    return server.findAll(anyRequestedFor(anyUrl())).size();
  }

  private static JsonNode error(GatewayResponse response) {
    return Json.parse(response.bodyText()).path("error");
  }

  private static void assertNoSecretIn(GatewayResponse response) {
    assertFalse(response.bodyText().contains(PRIMARY_SECRET), response.bodyText());
    assertFalse(response.bodyText().contains(SECONDARY_SECRET), response.bodyText());
    response.headers().values().forEach(value -> {
      assertFalse(value.contains(PRIMARY_SECRET));
      assertFalse(value.contains(SECONDARY_SECRET));
    });
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UpstreamMisbehaviour.class)
  void whenThePrimaryMisbehavesTheSecondaryAnswers(UpstreamMisbehaviour misbehaviour) {
    stub(primary, misbehaviour.response());
    secondary.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + SECONDARY_SECRET))
            .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-secondary")))
            .willReturn(FakeUpstream.answers("from the secondary")));
    GatewayHarness gateway = gateway(misbehaviour.targetTimeoutMs(), GENEROUS);

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("secondary", response.header(Gateway.TARGET));
    assertEquals("from the secondary", Json.parse(response.bodyText()).at("/choices/0/message/content").asText());
    assertEquals(1, received(primary));
    assertEquals(1, received(secondary));
    assertEquals(1, gateway.metrics().sum(MetricNames.FALLBACKS));
    assertEquals(1, gateway.metrics().sum(MetricNames.UPSTREAM_FAILURES));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(UpstreamMisbehaviour.class)
  void whenBothMisbehaveTheClientGetsTheStatusForThatFailureAndNoSecret(UpstreamMisbehaviour misbehaviour) {
    stub(primary, misbehaviour.response());
    stub(secondary, misbehaviour.response());
    GatewayHarness gateway = gateway(misbehaviour.targetTimeoutMs(), misbehaviour.targetTimeoutMs());

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals(misbehaviour.statusWhenAllFail(), response.status(), response.bodyText());
    String message = error(response).path("message").asText();
    assertTrue(message.startsWith("No upstream could answer for model 'chat' (tried 2: primary: "), message);
    assertTrue(message.contains("; secondary: " + misbehaviour.kind().label()), message);
    assertNoSecretIn(response);
    assertEquals("none", response.header(Gateway.TARGET));
    assertEquals(1, received(primary));
    assertEquals(1, received(secondary));
  }

  @Test
  void allRateLimitedGivesA503WithTheShortestRetryAfter() {
    stub(primary, UpstreamMisbehaviour.RATE_LIMITED_RETRY_AFTER_SECONDS.response()); // Retry-After: 7
    stub(secondary, UpstreamMisbehaviour.RATE_LIMITED_RETRY_AFTER_MS.response()); // retry-after-ms: 1500

    GatewayResponse response = gateway(GENEROUS, GENEROUS).chatWith("chat");

    assertEquals(503, response.status());
    assertEquals("upstream_rate_limited", error(response).path("code").asText());
    assertEquals("2", response.header("retry-after"));
  }

  @Test
  void allRateLimitedWithRetryAfterInSecondsPassesThemOn() {
    stub(primary, UpstreamMisbehaviour.RATE_LIMITED_RETRY_AFTER_SECONDS.response());
    stub(secondary, UpstreamMisbehaviour.RATE_LIMITED_RETRY_AFTER_SECONDS.response());

    GatewayResponse response = gateway(GENEROUS, GENEROUS).chatWith("chat");

    assertEquals(503, response.status());
    assertEquals("7", response.header("retry-after"));
  }

  @Test
  void allTimedOutGivesA504() {
    stub(primary, UpstreamMisbehaviour.SLOW_HEADERS.response());
    stub(secondary, UpstreamMisbehaviour.SLOW_BODY.response());
    int timeout = UpstreamMisbehaviour.SHORT_TIMEOUT_MS;

    GatewayResponse response = gateway(timeout, timeout).chatWith("chat");

    assertEquals(504, response.status());
    assertEquals("upstream_timeout", error(response).path("code").asText());
    assertNull(response.header("retry-after"));
  }

  @Test
  void aTimeoutAndAServerErrorTogetherGiveA502() {
    stub(primary, UpstreamMisbehaviour.SLOW_HEADERS.response());
    stub(secondary, UpstreamMisbehaviour.HTTP_500.response());

    GatewayResponse response = gateway(UpstreamMisbehaviour.SHORT_TIMEOUT_MS, GENEROUS).chatWith("chat");

    assertEquals(502, response.status());
    String message = error(response).path("message").asText();
    assertTrue(message.contains("primary: timed out"), message);
    assertTrue(message.contains("secondary: server error (HTTP 500)"), message);
  }

  @Test
  void aRejectedRequestGoesBackAsIsWithTheSecretRedactedAndIsNotRetried() {
    stub(
        primary,
        FakeUpstream.openAiError(
            400,
            "Invalid 'messages[0].content': too long. Request made with key " + PRIMARY_SECRET + ".",
            "invalid_request_error",
            "string_above_max_length"));
    stub(secondary, FakeUpstream.answers("must not be asked"));

    GatewayResponse response = gateway(GENEROUS, GENEROUS).chatWith("chat");

    assertEquals(400, response.status());
    assertEquals("primary", response.header(Gateway.TARGET));
    JsonNode error = error(response);
    assertEquals("invalid_request_error", error.path("type").asText());
    assertEquals(
        "Upstream 'primary' rejected the request: Invalid 'messages[0].content': too long. Request made with key [REDACTED].",
        error.path("message").asText());
    assertNoSecretIn(response);
    assertEquals(1, received(primary));
    secondary.verify(0, postRequestedFor(anyUrl()));
  }

  @Test
  void aPrimaryNobodyListensOnFallsBackToTheSecondary() throws IOException {
    stub(secondary, FakeUpstream.answers("from the secondary"));

    GatewayResponse response = gateway(closedPortUrl(), GENEROUS, GENEROUS).chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("secondary", response.header(Gateway.TARGET));
  }

  @Test
  void whenNothingListensAnywhereTheClientGetsA502NamingBothTargets() throws IOException {
    stub(secondary, aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));

    GatewayResponse response = gateway(closedPortUrl(), GENEROUS, GENEROUS).chatWith("chat");

    assertEquals(502, response.status());
    String message = error(response).path("message").asText();
    assertTrue(message.contains("primary: network error"), message);
    assertTrue(message.contains("secondary: network error"), message);
    assertNoSecretIn(response);
  }

  @Test
  void aTargetWhoseCredentialIsNotSetIsSkippedWithoutCallingIt() {
    stub(primary, FakeUpstream.answers("must not be asked"));
    stub(secondary, FakeUpstream.answers("from the secondary"));
    List<ConfigItem> items =
        List.of(
            ConfigItems.apiKey(),
            ConfigItems.target(
                "chat",
                "primary",
                Map.of(
                    "provider", "openai",
                    "model", "gpt-primary",
                    "baseUrl", FakeUpstream.baseUrl(primary) + "/v1",
                    "credential", "env:UNSET_KEY",
                    "priority", 1)),
            ConfigItems.target(
                "chat",
                "secondary",
                Map.of(
                    "provider", "openai",
                    "model", "gpt-secondary",
                    "baseUrl", FakeUpstream.baseUrl(secondary) + "/v1",
                    "credential", "env:SECONDARY_KEY",
                    "priority", 2)));
    GatewayHarness gateway =
        GatewayHarness.withStandardProviders(new StaticConfigSource("credential test", items), ENVIRONMENT, Duration.ofMinutes(5));

    GatewayResponse response = gateway.chatWith("chat");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("secondary", response.header(Gateway.TARGET));
    primary.verify(0, postRequestedFor(anyUrl()));
  }

  /** A loopback URL on a port that was free a moment ago, so nothing accepts there. */
  private static String closedPortUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }
}
