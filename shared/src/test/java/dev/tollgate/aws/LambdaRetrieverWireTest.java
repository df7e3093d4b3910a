package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.rag.RetrievalCodec;
import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.UnknownKnowledgeBaseException;
import dev.tollgate.testing.LoopbackAwsServer;
import dev.tollgate.testing.LoopbackAwsServer.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** {@link LambdaRetriever} through the real SDK against Lambda Invoke's wire format on loopback. */
class LambdaRetrieverWireTest {

  private static final String FUNCTION = "tollgate-rag";
  private static final RetrievalQuery QUERY = new RetrievalQuery("handbook", "vacation days", 3, 0.2, Map.of("lang", "en"));

  private final LoopbackAwsServer lambda = LoopbackAwsServer.start();
  private final LambdaRetriever retriever =
      new LambdaRetriever(AwsClients.lambda(Region.US_EAST_1, Optional.of(lambda.endpoint()), Duration.ofMillis(800)), FUNCTION);

  @AfterEach
  void stop() {
    lambda.close();
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void invokesTheFunctionSynchronouslyWithTheCodecsQueryAndReadsItsChunks() throws Exception {
    var chunk = new RetrievedChunk("vacation.md#0", "vacation.md", "Vacation", 0, "25 days a year.", 0.8, Map.of("lang", "en"));
    lambda.answer(request -> Response.json(text(RetrievalCodec.encodeChunks(List.of(chunk)))));

    assertEquals(List.of(chunk), retriever.retrieve(QUERY));

    var request = lambda.requests().getFirst();
    assertEquals("POST", request.method());
    assertEquals("/2015-03-31/functions/" + FUNCTION + "/invocations", request.path());
    assertEquals("RequestResponse", request.header("X-Amz-Invocation-Type"));
    assertTrue(request.header("Authorization").contains("/us-east-1/lambda/aws4_request"), request.header("Authorization"));
    assertEquals(QUERY, RetrievalCodec.decodeQuery(request.body().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anUnknownKnowledgeBaseAnswerIsUnknownKnowledgeBase() {
    lambda.answer(request -> Response.json(text(RetrievalCodec.encodeError(RetrievalCodec.ErrorType.UNKNOWN_KB, "no such base"))));
    var missing = assertThrows(UnknownKnowledgeBaseException.class, () -> retriever.retrieve(QUERY));
    assertEquals("knowledge base 'handbook' does not exist", missing.getMessage());
  }

  @Test
  void aRetrievalFailedAnswerIsARetrievalFailure() {
    lambda.answer(request -> Response.json(text(RetrievalCodec.encodeError(RetrievalCodec.ErrorType.RETRIEVAL_FAILED, "table down"))));
    var failure = assertThrows(RetrievalException.class, () -> retriever.retrieve(QUERY));
    assertEquals(RetrievalException.class, failure.getClass());
    assertEquals("RagFunction could not retrieve from 'handbook': table down", failure.getMessage());
  }

  @Test
  void anUnhandledFunctionErrorIsARetrievalFailureNamingIt() {
    // Lambda answers 200 with X-Amz-Function-Error and the runtime's error document.
    lambda.answer(request -> new Response(200,
        "{\"errorMessage\":\"Java heap space\",\"errorType\":\"java.lang.OutOfMemoryError\"}",
        Map.of("X-Amz-Function-Error", "Unhandled")));
    var failure = assertThrows(RetrievalException.class, () -> retriever.retrieve(QUERY));
    assertEquals(RetrievalException.class, failure.getClass());
    assertEquals("RagFunction 'tollgate-rag' failed (Unhandled): java.lang.OutOfMemoryError: Java heap space", failure.getMessage());
  }

  @Test
  void throttlingAndAMissingFunctionAreRetrievalFailures() {
    lambda.answer(request -> Response.error(429, "TooManyRequestsException", "Rate Exceeded."));
    var throttled = assertThrows(RetrievalException.class, () -> retriever.retrieve(QUERY));
    assertEquals("RagFunction 'tollgate-rag' throttled (HTTP 429 TooManyRequestsException); its concurrency is exhausted", throttled.getMessage());
    assertEquals(1, lambda.requests().size(), "one attempt: the route decides what a failed retrieval means");

    lambda.answer(request -> Response.error(404, "ResourceNotFoundException", "Function not found"));
    var missing = assertThrows(RetrievalException.class, () -> retriever.retrieve(QUERY));
    assertTrue(missing.getMessage().endsWith("check TOLLGATE_RAG_FUNCTION"), missing.getMessage());
  }

  @Test
  void aFunctionSlowerThanTheTimeoutIsARetrievalFailure() {
    lambda.answer(request -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.json("{\"chunks\":[]}");
    });
    var failure = assertThrows(RetrievalException.class, () -> retriever.retrieve(QUERY));
    assertTrue(failure.getMessage().startsWith("RagFunction 'tollgate-rag' timed out"), failure.getMessage());
  }
}
