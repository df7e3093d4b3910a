package dev.tollgate.rag;

import static dev.tollgate.rag.RagFixtures.SUPPORT_KEY;
import static dev.tollgate.rag.RagFixtures.bearer;
import static dev.tollgate.rag.RagFixtures.body;
import static dev.tollgate.rag.RagFixtures.gateway;
import static dev.tollgate.rag.RagFixtures.kb;
import static dev.tollgate.rag.RagFixtures.rag;
import static dev.tollgate.rag.RagFixtures.retriever;
import static dev.tollgate.rag.RagFixtures.upstreamMessages;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static dev.tollgate.testing.GatewayHarness.errorMessage;
import static dev.tollgate.testing.GatewayHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedRetriever;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which retrieval policy applies to a request, what a request may ask for, and what a failed retrieval does. */
class RagAccessGatewayTest {

  private static final String QUESTION = "Can we end the contract early?";

  private final ScriptedRetriever retriever = retriever();

  private static GatewayResponse chatAs(GatewayHarness gateway, String key, String body) {
    return gateway.send("POST", GatewayHarness.CHAT_PATH, bearer(key), body);
  }

  /** The kb of the last retrieval, or null when none ran. */
  private String retrievedFrom() {
    return retriever.queries().isEmpty() ? null : retriever.queries().getLast().kb();
  }

  @Test
  void aPolicyAppliesOnlyToItsModelsAndGroups() {
    GatewayHarness gateway = gateway(retriever,
        rag("support-chat", "legal").with("models", List.of("chat")).with("groups", List.of("support")).build());

    chatAs(gateway, GatewayHarness.API_KEY, body("chat", QUESTION));
    chatAs(gateway, SUPPORT_KEY, body("other", QUESTION));
    assertEquals(List.of(), retriever.queries(), "another group, another model: no retrieval");
    assertEquals(1, upstreamMessages(gateway).size());

    GatewayResponse response = chatAs(gateway, SUPPORT_KEY, body("chat", QUESTION));
    assertEquals("legal", retrievedFrom());
    assertTrue(response.header(SourcesHeader.NAME).startsWith("1;kb=legal;doc=legal%2Fcontract.md;pos=7;"));
  }

  @Test
  void theFirstMatchingPolicyByOrderThenNameWins() {
    GatewayHarness byOrder = gateway(retriever, rag("a-handbook", "handbook").with("order", 20).build(),
        rag("z-legal", "legal").with("order", 10).build());
    byOrder.chat(body("chat", QUESTION));
    assertEquals("legal", retrievedFrom());

    GatewayHarness byName = gateway(retriever, rag("a-handbook", "handbook").build(), rag("z-legal", "legal").build());
    byName.chat(body("chat", QUESTION));
    assertEquals("handbook", retrievedFrom());
    assertEquals(1, retriever.queries().stream().filter(q -> q.kb().equals("handbook")).count(), "one knowledge base per request");
  }

  @Test
  void aRequestMayNameAKbThatAPolicyForItsModelAndGroupNames() {
    GatewayHarness gateway = gateway(retriever, rag("handbook", "handbook").build(),
        rag("legal-on-request", "legal").with("groups", List.of("support")).with("onRequest", true).with("topK", 1).build());

    chatAs(gateway, SUPPORT_KEY, body("chat", QUESTION));
    assertEquals("handbook", retrievedFrom(), "an onRequest policy does not apply by itself");

    GatewayResponse response = chatAs(gateway, SUPPORT_KEY, body("chat", null, QUESTION, kb("legal")));
    assertEquals(200, response.status(), response.bodyText());
    assertEquals(new RetrievalQuery("legal", QUESTION, 1, 0.0, Map.of()), retriever.queries().getLast(),
        "the naming policy's settings apply");
    assertTrue(gateway.audit().records().getLast().verdicts().contains(
        new Verdict("rag", "legal-on-request", "inject", "kb=legal, 1 of 1 chunks")));
    assertTrue(upstreamMessages(gateway).toString().contains("Clause 7"));
  }

  @Test
  void aKbNoPolicyGrantsIsRefusedAlikeWhetherItExistsOrNot() {
    GatewayHarness gateway = gateway(retriever, rag("handbook", "handbook").build(),
        rag("legal", "legal").with("groups", List.of("support")).build());

    for (String asked : List.of("legal", "no-such-base")) {
      GatewayResponse response = chatAs(gateway, GatewayHarness.API_KEY, body("chat", null, QUESTION, kb(asked)));
      assertEquals(403, response.status());
      assertEquals(RagErrors.KB_NOT_ALLOWED, errorCode(response));
      assertEquals("Knowledge base '" + asked + "' is not available for this model and API key.", errorMessage(response));
      assertEquals("permission_error", json(response).path("error").path("type").asText());
    }
    assertEquals(List.of(), retriever.queries());
    assertEquals(List.of(), gateway.provider().calls(), "no upstream call");
  }

  @Test
  void aRequestFilterNarrowsButCannotOverrideThePolicysFilter() {
    GatewayHarness gateway = gateway(retriever, rag("legal", "legal").with("filter", Map.of("region", "eu")).build());
    ObjectNode extension = kb("legal");
    extension.putObject("kbFilter").put("audience", "public").put("region", "us");

    chatAs(gateway, GatewayHarness.API_KEY, body("chat", null, QUESTION, extension));

    assertEquals(Map.of("audience", "public", "region", "eu"), retriever.queries().getLast().filter());
  }

  @Test
  void kbNoneTurnsOffAnOptionalPolicyOnly() {
    GatewayHarness optional = gateway(retriever, rag("handbook", "handbook").with("optional", true).build());
    GatewayResponse off = optional.chat(body("chat", null, QUESTION, kb("none")));
    assertEquals(200, off.status());
    assertEquals("skip", off.header(RagPolicy.STATUS_HEADER));
    assertEquals(new Verdict("rag", "handbook", "skip", "turned off by the request"),
        optional.audit().records().getLast().verdicts().getLast());
    assertEquals(List.of(), retriever.queries());

    GatewayHarness required = gateway(retriever, rag("handbook", "handbook").build());
    GatewayResponse refused = required.chat(body("chat", null, QUESTION, kb("none")));
    assertEquals(403, refused.status());
    assertEquals(RagErrors.KB_REQUIRED, errorCode(refused));

    GatewayHarness nothing = gateway(retriever);
    assertEquals(200, nothing.chat(body("chat", null, QUESTION, kb("none"))).status(), "nothing to turn off");
  }

  @Test
  void aFailedRetrievalAnswersWithoutContextByDefaultAndSaysSo() {
    GatewayHarness gateway = gateway(retriever.failing("handbook"), rag("handbook", "handbook").build());

    GatewayResponse response = gateway.chat(body("chat", QUESTION));

    assertEquals(200, response.status());
    assertEquals("unavailable", response.header(RagPolicy.STATUS_HEADER));
    assertNull(response.header(SourcesHeader.NAME));
    assertEquals(1, upstreamMessages(gateway).size(), "answered without context");
    assertEquals(new Verdict("rag", "handbook", "failed", "kb=handbook, retrieval unavailable, answered without context"),
        gateway.audit().records().getLast().verdicts().getLast());
    assertEquals(1, gateway.metrics().sum(RagMetrics.RETRIEVAL_FAILED));
  }

  @Test
  void anUnknownKnowledgeBaseFollowsOnErrorToo() {
    GatewayHarness gateway = gateway(retriever, rag("ghost", "never-ingested").build());

    GatewayResponse response = gateway.chat(body("chat", QUESTION));

    assertEquals(200, response.status());
    assertEquals("unavailable", response.header(RagPolicy.STATUS_HEADER));
    assertEquals("kb=never-ingested, unknown knowledge base, answered without context",
        gateway.audit().records().getLast().verdicts().getLast().detail());
    assertEquals(1, gateway.metrics().sum(RagMetrics.RETRIEVAL_FAILED));
    assertEquals(1, gateway.metrics().sum(RagMetrics.UNKNOWN_KB));
  }

  @Test
  void onErrorFailRefusesWith503BeforeAnyUpstreamCallOrReservation() {
    GatewayHarness gateway = gateway(retriever.failing("legal"),
        rag("strict", "legal").with("models", List.of("other")).with("onError", "fail").build(),
        ConfigItems.limit("one-request").with("metric", "requests").with("limit", 1).with("window", "1m").build());

    GatewayResponse refused = gateway.chat(body("other", QUESTION));

    assertEquals(503, refused.status());
    assertEquals(RagErrors.UNAVAILABLE, errorCode(refused));
    assertEquals("server_error", json(refused).path("error").path("type").asText());
    assertEquals("1", refused.header("retry-after"));
    assertEquals(List.of(), gateway.provider().calls());
    assertEquals(new Verdict("rag", "strict", "failed", "kb=legal, retrieval unavailable, 503"),
        gateway.audit().records().getLast().verdicts().getLast());
    assertEquals(200, gateway.chat(body("chat", QUESTION)).status(), "the refused request reserved none of the limit");
    assertEquals(429, gateway.chat(body("chat", QUESTION)).status(), "the limit is in force");
  }

  @Test
  void aRetrieverThatBreaksItsContractCountsAsAFailedRetrieval() {
    Retriever broken = query -> {
      throw new IllegalStateException("bug in an adapter");
    };
    GatewayHarness answer = gateway(new ScriptedRetriever(), rag("handbook", "handbook").build());
    GatewayHarness brokenAnswer = GatewayHarness.withRetriever(List.of(
        ConfigItems.scriptedTarget("chat", "chat-target").build(), rag("handbook", "handbook").build()), broken);
    assertEquals(200, brokenAnswer.chat(body("chat", QUESTION)).status());
    assertEquals("failed", brokenAnswer.audit().records().getLast().verdicts().getLast().action());

    GatewayHarness brokenFail = GatewayHarness.withRetriever(List.of(
        ConfigItems.scriptedTarget("chat", "chat-target").build(), rag("handbook", "handbook").with("onError", "fail").build()),
        broken);
    assertEquals(503, brokenFail.chat(body("chat", QUESTION)).status());
    GatewayResponse unknown = gateway(new ScriptedRetriever(), rag("ghost", "gone").with("onError", "fail").build())
        .chat(body("chat", QUESTION));
    assertEquals(RagErrors.UNAVAILABLE, errorCode(unknown));
    assertEquals(200, answer.chat(body("chat", QUESTION)).status(), "an empty retriever knows no kb: answered without context");
  }

  @Test
  void aRequestWithoutUserTextIsNotSearched() {
    GatewayHarness gateway = gateway(retriever, rag("handbook", "handbook").build());
    String body = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"   \"}]}";

    GatewayResponse response = gateway.chat(body);

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("skip", response.header(RagPolicy.STATUS_HEADER));
    assertEquals(new Verdict("rag", "handbook", "skip", "no user text"), gateway.audit().records().getLast().verdicts().getLast());
    assertEquals(List.of(), retriever.queries());
  }

  @Test
  void anAnthropicRequestMayNameAKbToo() {
    GatewayHarness gateway = gateway(retriever, rag("legal", "legal").with("onRequest", true).build());
    String anthropic = "{\"model\":\"chat\",\"max_tokens\":64,\"tollgate\":{\"kb\":\"legal\"},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";

    GatewayResponse response = gateway.send("POST", "/v1/messages",
        Map.of("x-api-key", GatewayHarness.API_KEY, "anthropic-version", "2023-06-01"), anthropic);

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("legal", retrievedFrom());
    assertTrue(response.header(SourcesHeader.NAME).startsWith("1;kb=legal;"));
  }

  @Test
  void theExtensionIsCheckedAndNeverReachesTheUpstream() {
    GatewayHarness gateway = gateway(retriever, rag("handbook", "handbook").build());

    GatewayResponse number = gateway.chat(body("chat", null, QUESTION, dev.tollgate.api.Json.object().put("kb", 5)));
    assertEquals(400, number.status());
    assertEquals("tollgate.kb", json(number).path("error").path("param").asText());
    ObjectNode filterOnly = dev.tollgate.api.Json.object();
    filterOnly.putObject("kbFilter").put("a", "b");
    GatewayResponse orphan = gateway.chat(body("chat", null, QUESTION, filterOnly));
    assertEquals(400, orphan.status());
    assertEquals("'tollgate.kbFilter' is only allowed with 'tollgate.kb'.", errorMessage(orphan));

    gateway.chat(body("chat", null, QUESTION, kb("handbook")));
    assertTrue(gateway.provider().calls().getLast().request().body().path("tollgate").isMissingNode());
  }

  @Test
  void embeddingsRequestsTakeNoKnowledgeBase() {
    GatewayHarness gateway = gateway(retriever, rag("handbook", "handbook").build());

    GatewayResponse response = gateway.send("POST", "/v1/embeddings", bearer(GatewayHarness.API_KEY),
        "{\"model\":\"chat\",\"input\":\"refunds\",\"tollgate\":{\"kb\":\"handbook\"}}");

    assertEquals(400, response.status(), response.bodyText());
    assertEquals("tollgate.kb", json(response).path("error").path("param").asText());
    assertEquals(List.of(), retriever.queries());
  }
}
