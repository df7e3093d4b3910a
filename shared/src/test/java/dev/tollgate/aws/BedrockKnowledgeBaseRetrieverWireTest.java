package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.Json;
import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.UnknownKnowledgeBaseException;
import dev.tollgate.testing.LoopbackAwsServer;
import dev.tollgate.testing.LoopbackAwsServer.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** {@link BedrockKnowledgeBaseRetriever} through the real SDK against Retrieve's REST wire format on loopback. */
class BedrockKnowledgeBaseRetrieverWireTest {

  private final LoopbackAwsServer bedrock = LoopbackAwsServer.start();
  private final BedrockKnowledgeBaseRetriever retriever =
      new BedrockKnowledgeBaseRetriever(
          () -> AwsClients.bedrockAgentRuntime(Region.US_EAST_1, Optional.of(bedrock.endpoint())),
          kb -> kb.equals("handbook") ? Optional.of("KB12345678") : Optional.empty());

  @AfterEach
  void stop() {
    bedrock.close();
  }

  /** Retrieve's documented answer: three results, S3, web and custom sources, one below 0.5. */
  private static final String RESULTS =
      """
      {"retrievalResults": [
        {"content": {"type": "TEXT", "text": "Vacation is 25 days."}, "score": 0.81,
         "location": {"type": "S3", "s3Location": {"uri": "s3://docs/hr/vacation.pdf"}},
         "metadata": {"x-amz-bedrock-kb-chunk-id": "1%3A0%3Aabc", "x-amz-bedrock-kb-source-uri": "s3://docs/hr/vacation.pdf",
                      "lang": "en", "year": 2026, "tags": ["hr", "leave"]}},
        {"content": {"type": "TEXT", "text": "Sick leave rules."}, "score": 0.92,
         "location": {"type": "WEB", "webLocation": {"url": "https://intranet.example/hr/sick/"}}},
        {"content": {"type": "TEXT", "text": "Unrelated."}, "score": 0.31,
         "location": {"type": "CUSTOM", "customDocumentLocation": {"id": "doc-7"}}}
      ]}
      """;

  @Test
  void retrievesWithNumberOfResultsAndAnAndAllFilterAndMapsTheResults() {
    bedrock.answer(request -> Response.json(RESULTS));

    List<RetrievedChunk> chunks =
        retriever.retrieve(new RetrievalQuery("handbook", "how many vacation days", 3, 0.5, Map.of("lang", "en", "team", "hr")));

    var request = bedrock.requests().getFirst();
    assertEquals("POST", request.method());
    assertEquals("/knowledgebases/KB12345678/retrieve", request.path());
    assertTrue(request.header("Authorization").contains("/us-east-1/bedrock/aws4_request"), request.header("Authorization"));
    assertEquals(
        Json.parse(
            """
            {"retrievalQuery": {"text": "how many vacation days"},
             "retrievalConfiguration": {"vectorSearchConfiguration": {"numberOfResults": 3, "filter": {"andAll": [
               {"equals": {"key": "lang", "value": "en"}}, {"equals": {"key": "team", "value": "hr"}}]}}}}
            """),
        Json.parse(request.body()));
    assertEquals(2, chunks.size(), "the 0.31 result is under minScore");
    RetrievedChunk best = chunks.get(0);
    assertEquals("https://intranet.example/hr/sick/", best.documentId());
    assertEquals("sick", best.title());
    assertEquals(0.92, best.score());
    assertEquals("https://intranet.example/hr/sick/#1", best.chunkId());
    RetrievedChunk second = chunks.get(1);
    assertEquals("s3://docs/hr/vacation.pdf", second.documentId());
    assertEquals("vacation.pdf", second.title());
    assertEquals("Vacation is 25 days.", second.text());
    assertEquals("1%3A0%3Aabc", second.chunkId());
    assertEquals(0, second.position());
    assertEquals("en", second.metadata().get("lang"));
    assertEquals("2026", second.metadata().get("year"));
    assertTrue(second.metadata().get("tags").contains("leave"), second.metadata().toString());
  }

  @Test
  void oneFilterKeyIsAnEqualsAndNoFilterIsNone() {
    bedrock.answer(request -> Response.json("{\"retrievalResults\": []}"));
    retriever.retrieve(new RetrievalQuery("handbook", "q", 4, 0, Map.of("lang", "en")));
    retriever.retrieve(new RetrievalQuery("handbook", "q", 4, 0, Map.of()));
    var requests = bedrock.requests();
    assertEquals(Json.parse("{\"equals\": {\"key\": \"lang\", \"value\": \"en\"}}"),
        Json.parse(requests.get(0).body()).at("/retrievalConfiguration/vectorSearchConfiguration/filter"));
    assertTrue(Json.parse(requests.get(1).body()).at("/retrievalConfiguration/vectorSearchConfiguration/filter").isMissingNode());
  }

  @Test
  void aNameWithoutABedrockKnowledgeBaseIsUnknownAndCallsNothing() {
    assertThrows(UnknownKnowledgeBaseException.class, () -> retriever.retrieve(new RetrievalQuery("other", "q", 4, 0, Map.of())));
    assertEquals(List.of(), bedrock.requests());
  }

  @Test
  void bedrockErrorsAreRetrievalFailuresThatSayWhatToCheck() {
    bedrock.answer(request -> Response.error(404, "ResourceNotFoundException", "no such knowledge base"));
    var failure = assertThrows(RetrievalException.class, () -> retriever.retrieve(new RetrievalQuery("handbook", "q", 4, 0, Map.of())));
    assertEquals(
        "Bedrock knowledge base 'KB12345678' (knowledge base 'handbook') not found (HTTP 404 ResourceNotFoundException);"
            + " check bedrockKnowledgeBaseId in the base item and the region",
        failure.getMessage());
    bedrock.answer(request -> Response.error(403, "AccessDeniedException", "denied"));
    var denied = assertThrows(RetrievalException.class, () -> retriever.retrieve(new RetrievalQuery("handbook", "q", 4, 0, Map.of())));
    assertTrue(denied.getMessage().endsWith("the role needs bedrock:Retrieve on the knowledge base"), denied.getMessage());
  }
}
