package dev.tollgate.rag;

import static dev.tollgate.rag.RagFixtures.REFUNDS;
import static dev.tollgate.rag.RagFixtures.SHIPPING;
import static dev.tollgate.rag.RagFixtures.body;
import static dev.tollgate.rag.RagFixtures.gateway;
import static dev.tollgate.rag.RagFixtures.rag;
import static dev.tollgate.rag.RagFixtures.retriever;
import static dev.tollgate.rag.RagFixtures.upstreamMessages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.BufferedChunkStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedRetriever;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers grounded in a knowledge base through the assembled gateway: what the upstream got, what the client and the audit see. */
class RagGatewayTest {

  private static final String QUESTION = "How long do refunds take?";
  private static final String BOTH_SOURCES =
      "1;kb=handbook;doc=handbook%2Frefunds.md;pos=2;score=0.82, 2;kb=handbook;doc=handbook%2Fshipping.md;pos=0;score=0.61";

  private final ScriptedRetriever retriever = retriever();

  private GatewayHarness handbook(String inject) {
    return gateway(retriever, rag("handbook-chat", "handbook").with("models", List.of("chat")).with("minScore", 0.5)
        .with("inject", inject).build());
  }

  @Test
  void theContextBlockIsOneSystemMessageAfterTheCallersOwnNumberedBestFirst() {
    GatewayHarness gateway = handbook("system");

    GatewayResponse response = gateway.chat(body("chat", "You are the support bot.", QUESTION, null));

    assertEquals(200, response.status(), response.bodyText());
    JsonNode messages = upstreamMessages(gateway);
    assertEquals(3, messages.size(), messages.toString());
    assertEquals("You are the support bot.", messages.get(0).path("content").asText(), "the caller's system message stays first");
    assertEquals("system", messages.get(1).path("role").asText());
    assertEquals(QUESTION, messages.get(2).path("content").asText(), "the question itself is unchanged");
    String block = messages.get(1).path("content").asText();
    assertTrue(block.startsWith(ContextBlock.INSTRUCTIONS), block);
    assertTrue(block.contains("Cite the sources you use as [1], [2]"), block);
    assertTrue(block.endsWith(
        "Context:\n[1] refunds (handbook/refunds.md)\n" + REFUNDS + "\n\n[2] shipping (handbook/shipping.md)\n" + SHIPPING), block);
    assertFalse(block.contains(RagFixtures.OUTDATED), "a chunk under minScore is left out");
    assertEquals(List.of(new RetrievalQuery("handbook", QUESTION, 4, 0.5, Map.of())), retriever.queries());
  }

  @Test
  void withoutASystemMessageTheBlockComesFirst() {
    GatewayHarness gateway = handbook("system");
    gateway.chat(body("chat", QUESTION));
    JsonNode messages = upstreamMessages(gateway);
    assertEquals(List.of("system", "user"), List.of(messages.get(0).path("role").asText(), messages.get(1).path("role").asText()));
  }

  @Test
  void userModePrependsTheBlockToTheLastUserMessage() {
    GatewayHarness gateway = handbook("user");

    gateway.chat(body("chat", "You are the support bot.", QUESTION, null));

    JsonNode messages = upstreamMessages(gateway);
    assertEquals(2, messages.size(), "no message is added");
    String user = messages.get(1).path("content").asText();
    assertTrue(user.startsWith(ContextBlock.INSTRUCTIONS), user);
    assertTrue(user.contains("[1] refunds (handbook/refunds.md)\n" + REFUNDS), user);
    assertTrue(user.endsWith("\n\nQuestion:\n" + QUESTION), user);
  }

  @Test
  void userModeWithContentPartsAddsTheBlockAsTheFirstTextPart() {
    GatewayHarness gateway = handbook("user");
    ObjectNode body = Json.object().put("model", "chat");
    body.putArray("messages").addObject().put("role", "user").putArray("content")
        .addObject().put("type", "text").put("text", QUESTION);

    gateway.chat(Json.text(body));

    JsonNode parts = upstreamMessages(gateway).get(0).path("content");
    assertEquals(2, parts.size(), parts.toString());
    assertTrue(parts.get(0).path("text").asText().startsWith(ContextBlock.INSTRUCTIONS));
    assertEquals(QUESTION, parts.get(1).path("text").asText());
  }

  @Test
  void theSourcesHeaderListsEveryChunkInContextOrder() {
    GatewayResponse response = handbook("system").chat(body("chat", QUESTION));
    assertEquals(BOTH_SOURCES, response.header(SourcesHeader.NAME));
    assertEquals("inject", response.header(RagPolicy.STATUS_HEADER));
  }

  @Test
  void chunksPastMaxContextCharsAreLeftOutWhole() {
    // The first entry ("[1] refunds (handbook/refunds.md)\n" + text + blank line) is about 110 characters; two do not fit 200.
    GatewayHarness gateway = gateway(retriever, rag("tight", "handbook").with("minScore", 0.5).with("maxContextChars", 200).build());

    GatewayResponse response = gateway.chat(body("chat", QUESTION));

    String block = upstreamMessages(gateway).get(0).path("content").asText();
    assertTrue(block.endsWith("[1] refunds (handbook/refunds.md)\n" + REFUNDS), block);
    assertFalse(block.contains("[2] shipping"), block);
    assertEquals("1;kb=handbook;doc=handbook%2Frefunds.md;pos=2;score=0.82", response.header(SourcesHeader.NAME));
    assertEquals(new Verdict("rag", "tight", "inject", "kb=handbook, 1 of 2 chunks"), gateway.audit().records().getLast().verdicts().getLast());
  }

  @Test
  void aStreamedAnswerCarriesTheSourcesInItsHeaders() throws Exception {
    GatewayHarness gateway = handbook("system");
    gateway.provider().onStream("chat-target", call -> new BufferedChunkStream(List.of(delta("Within 14 days [1].")), new dev.tollgate.provider.Usage(90, 6, 96)));
    ObjectNode body = (ObjectNode) Json.parse(body("chat", QUESTION));
    body.put("stream", true);

    GatewayResponse response = gateway.gateway().handleStreaming(new GatewayRequest("POST", GatewayHarness.CHAT_PATH,
        Map.of("Authorization", "Bearer " + GatewayHarness.API_KEY), Json.bytes(body), "req-stream"));

    assertTrue(response.streamed());
    assertEquals(BOTH_SOURCES, response.header(SourcesHeader.NAME), "headers go out before the stream");
    ByteArrayOutputStream sse = new ByteArrayOutputStream();
    response.stream().writeTo(sse::writeBytes);
    assertTrue(sse.toString(StandardCharsets.UTF_8).contains("Within 14 days [1]."));
    assertTrue(upstreamMessages(gateway).get(0).path("content").asText().startsWith(ContextBlock.INSTRUCTIONS));
    assertEquals(2, gateway.audit().records().getLast().sources().size(), "the stream's audit record has the sources");
  }

  private static ObjectNode delta(String text) {
    ObjectNode chunk = Json.object();
    chunk.put("id", "c").put("object", "chat.completion.chunk").put("created", 0).put("model", "m");
    chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", text);
    return chunk;
  }

  @Test
  void theAuditRecordKeepsTheSourcesAndTheVerdictButNoChunkText() {
    GatewayHarness gateway = handbook("system");

    gateway.chat(body("chat", QUESTION));

    AuditRecord record = gateway.audit().records().getLast();
    assertEquals(
        List.of(
            new Citation(1, "handbook", "handbook/refunds.md", "handbook/refunds.md#2", 2, 0.82),
            new Citation(2, "handbook", "handbook/shipping.md", "handbook/shipping.md#0", 0, 0.61)),
        record.sources());
    assertTrue(record.verdicts().contains(new Verdict("rag", "handbook-chat", "inject", "kb=handbook, 2 of 2 chunks")),
        record.verdicts().toString());
    String json = Json.text(record.toJson());
    assertTrue(json.contains("\"sources\":[{\"n\":1,\"kb\":\"handbook\",\"documentId\":\"handbook/refunds.md\""), json);
    assertFalse(json.contains("14 days"), "chunk text stays out of the audit record");
  }

  @Test
  void anAnthropicMessagesRequestIsGroundedTheSameWay() {
    GatewayHarness gateway = handbook("system");
    String anthropic = "{\"model\":\"chat\",\"max_tokens\":64,\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";

    GatewayResponse response = gateway.send("POST", "/v1/messages",
        Map.of("x-api-key", GatewayHarness.API_KEY, "anthropic-version", "2023-06-01"), anthropic);

    assertEquals(200, response.status(), response.bodyText());
    assertEquals("message", GatewayHarness.json(response).path("type").asText());
    assertEquals(BOTH_SOURCES, response.header(SourcesHeader.NAME));
    JsonNode messages = upstreamMessages(gateway);
    assertEquals("Be brief.", messages.get(0).path("content").asText());
    assertTrue(messages.get(1).path("content").asText().startsWith(ContextBlock.INSTRUCTIONS), messages.toString());
  }

  @Test
  void noChunkAboveMinScoreAnswersWithoutContext() {
    GatewayHarness gateway = gateway(retriever, rag("picky", "handbook").with("minScore", 0.95).build());

    GatewayResponse response = gateway.chat(body("chat", QUESTION));

    assertEquals(200, response.status());
    assertEquals(1, upstreamMessages(gateway).size(), "nothing injected");
    assertNull(response.header(SourcesHeader.NAME));
    assertEquals("none", response.header(RagPolicy.STATUS_HEADER));
    assertEquals(new Verdict("rag", "picky", "none", "kb=handbook, no chunk scored 0.95"),
        gateway.audit().records().getLast().verdicts().getLast());
    assertEquals(List.of(), gateway.audit().records().getLast().sources());
    assertEquals(1, gateway.metrics().sum(RagMetrics.NO_MATCH));
  }

  @Test
  void theInjectedContextCountsAsPromptTokens() {
    GatewayHarness plain = gateway(retriever);
    GatewayHarness grounded = handbook("system");
    plain.chat(body("chat", QUESTION));
    grounded.chat(body("chat", QUESTION));
    long without = plain.audit().records().getLast().tokensIn();
    long with = grounded.audit().records().getLast().tokensIn();
    assertTrue(with > without + 30, "the upstream read the context: " + without + " vs " + with);
  }
}
