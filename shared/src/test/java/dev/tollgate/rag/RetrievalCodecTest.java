package dev.tollgate.rag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RagFunction's wire format, both ways, and the precise messages for requests it refuses. */
class RetrievalCodecTest {

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aQueryTravelsUnchanged() throws Exception {
    var query = new RetrievalQuery("handbook", "How many vacation days?", 7, 0.42, Map.of("lang", "en", "team", "hr"));
    assertEquals(query, RetrievalCodec.decodeQuery(RetrievalCodec.encodeQuery(query)));
  }

  @Test
  void topKMinScoreAndFilterHaveDefaults() throws Exception {
    var query = RetrievalCodec.decodeQuery(bytes("{\"kb\":\"handbook\",\"query\":\"q\"}"));
    assertEquals(new RetrievalQuery("handbook", "q", RetrievalQuery.DEFAULT_TOP_K, 0, Map.of()), query);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("", "the request is empty"),
        Arguments.of("{\"kb\":", "the request is not valid JSON"),
        Arguments.of("[1]", "the request must be a JSON object with 'kb' and 'query'"),
        Arguments.of("{\"query\":\"q\"}", "'kb' is required"),
        Arguments.of("{\"kb\":7,\"query\":\"q\"}", "'kb' must be a string, got number"),
        Arguments.of("{\"kb\":\"a\",\"query\":\"  \"}", "'query' must not be blank"),
        Arguments.of("{\"kb\":\"a\",\"query\":\"q\",\"topK\":0}", "'topK' must be a whole number from 1 to 50, got 0"),
        Arguments.of("{\"kb\":\"a\",\"query\":\"q\",\"topK\":2.5}", "'topK' must be a whole number from 1 to 50, got 2.5"),
        Arguments.of("{\"kb\":\"a\",\"query\":\"q\",\"minScore\":\"x\"}", "'minScore' must be a number from -1 to 1 (a cosine similarity), got \"x\""),
        Arguments.of("{\"kb\":\"a\",\"query\":\"q\",\"filter\":[]}", "'filter' must be an object of metadata names to string values, got array"),
        Arguments.of("{\"kb\":\"a\",\"query\":\"q\",\"filter\":{\"n\":1}}", "'filter.n' must be a string, got 1"),
        Arguments.of("{\"kb\":\"a\",\"query\":\"q\",\"top_k\":3}", "unknown field 'top_k'; expected kb, query, topK, minScore, filter"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refusesWhatIsNotAQueryNamingTheField(String request, String message) {
    var refused = assertThrows(RetrievalCodec.InvalidRequest.class, () -> RetrievalCodec.decodeQuery(bytes(request)));
    assertEquals(message, refused.getMessage());
  }

  @Test
  void refusesAnOverlongQuery() {
    String query = "x".repeat(RetrievalCodec.MAX_QUERY_CHARS + 1);
    var refused = assertThrows(RetrievalCodec.InvalidRequest.class,
        () -> RetrievalCodec.decodeQuery(bytes("{\"kb\":\"a\",\"query\":\"" + query + "\"}")));
    assertTrue(refused.getMessage().startsWith("'query' is 20001 characters"), refused.getMessage());
  }

  @Test
  void chunksTravelUnchanged() {
    var chunks =
        List.of(
            new RetrievedChunk("doc.md#0", "doc.md", "Doc", 0, "text one", 0.9, Map.of("lang", "en")),
            new RetrievedChunk("doc.md#3", "doc.md", "Doc", 3, "text two", 0.5, Map.of()));
    assertEquals(chunks, RetrievalCodec.decodeAnswer(RetrievalCodec.encodeChunks(chunks), "handbook"));
  }

  @Test
  void failureAnswersBecomeTheRetrieverExceptions() {
    byte[] unknown = RetrievalCodec.encodeError(RetrievalCodec.ErrorType.UNKNOWN_KB, "knowledge base 'nope' does not exist");
    var missing = assertThrows(UnknownKnowledgeBaseException.class, () -> RetrievalCodec.decodeAnswer(unknown, "nope"));
    assertEquals("knowledge base 'nope' does not exist", missing.getMessage());

    byte[] failed = RetrievalCodec.encodeError(RetrievalCodec.ErrorType.RETRIEVAL_FAILED, "table unreachable");
    var thrown = assertThrows(RetrievalException.class, () -> RetrievalCodec.decodeAnswer(failed, "handbook"));
    assertEquals(RetrievalException.class, thrown.getClass());
    assertEquals("RagFunction could not retrieve from 'handbook': table unreachable", thrown.getMessage());

    byte[] invalid = RetrievalCodec.encodeError(RetrievalCodec.ErrorType.INVALID_REQUEST, "'topK' must be ...");
    assertEquals("RagFunction refused the query: 'topK' must be ...",
        assertThrows(RetrievalException.class, () -> RetrievalCodec.decodeAnswer(invalid, "handbook")).getMessage());

    assertEquals("RagFunction's answer has neither 'chunks' nor 'error'",
        assertThrows(RetrievalException.class, () -> RetrievalCodec.decodeAnswer(bytes("{}"), "handbook")).getMessage());
  }
}
