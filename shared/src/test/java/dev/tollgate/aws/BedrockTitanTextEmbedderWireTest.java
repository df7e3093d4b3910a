package dev.tollgate.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.Json;
import dev.tollgate.embedding.EmbeddingUnavailableException;
import dev.tollgate.embedding.Vectors;
import dev.tollgate.testing.LoopbackAwsServer;
import dev.tollgate.testing.LoopbackAwsServer.Response;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;

/** {@link BedrockTitanTextEmbedder} through the real SDK against InvokeModel's wire format on loopback. */
class BedrockTitanTextEmbedderWireTest {

  private static final String MODEL = BedrockTitanTextEmbedder.DEFAULT_MODEL;

  private final LoopbackAwsServer bedrock = LoopbackAwsServer.start();
  private final BedrockTitanTextEmbedder embedder =
      new BedrockTitanTextEmbedder(
          () -> AwsClients.bedrockRuntime(Region.US_EAST_1, Optional.of(bedrock.endpoint())), MODEL, 256, Duration.ofSeconds(5));

  @AfterEach
  void stop() {
    bedrock.close();
  }

  /** Titan's answer: a vector of 256 numbers whose first is {@code first} and the rest 0.1. */
  private static String titan(double first) {
    String rest = IntStream.range(1, 256).mapToObj(i -> "0.1").collect(Collectors.joining(","));
    return "{\"embedding\":[" + first + "," + rest + "],\"inputTextTokenCount\":4,\"embeddingsByType\":{\"float\":[]}}";
  }

  @Test
  void oneSignedInvokeModelCallPerTextWithTitansBody() {
    bedrock.answer(request -> Response.json(titan(request.body().contains("first") ? 1.0 : -1.0)));

    List<float[]> vectors = embedder.embed(List.of("first text", "second"));

    var requests = bedrock.requests();
    assertEquals(2, requests.size());
    for (var request : requests) {
      assertEquals("POST", request.method());
      assertEquals("/model/" + MODEL + "/invoke", request.path());
      assertTrue(request.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=test/"), request.header("Authorization"));
      assertTrue(request.header("Authorization").contains("/us-east-1/bedrock/aws4_request"));
    }
    assertEquals(Json.parse("{\"inputText\":\"first text\",\"dimensions\":256,\"normalize\":true}"), Json.parse(requests.get(0).body()));
    assertEquals(Json.parse("{\"inputText\":\"second\",\"dimensions\":256,\"normalize\":true}"), Json.parse(requests.get(1).body()));
    assertEquals(2, vectors.size());
    for (float[] vector : vectors) {
      assertEquals(256, vector.length);
      assertEquals(1.0, Vectors.dot(vector, vector), 1e-5, "unit length");
    }
    assertTrue(vectors.get(0)[0] > 0 && vectors.get(1)[0] < 0, "in order");
    assertEquals(MODEL, embedder.modelId());
    assertEquals(256, embedder.dimensions());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "429 | ThrottlingException           | throttled (HTTP 429 ThrottlingException); retry later",
        "403 | AccessDeniedException         | denied access (HTTP 403 AccessDeniedException); the role needs bedrock:InvokeModel",
        "404 | ResourceNotFoundException     | not found (HTTP 404 ResourceNotFoundException); check the model id",
        "400 | ValidationException           | refused the request (HTTP 400 ValidationException: scripted)",
        "500 | InternalServerException       | failed (HTTP 500 InternalServerException)",
      })
  void errorsSayWhatFailedAndWhatToDo(int status, String code, String expected) {
    bedrock.answer(request -> Response.error(status, code, "scripted"));
    var failure = assertThrows(EmbeddingUnavailableException.class, () -> embedder.embed("text"));
    assertTrue(failure.getMessage().startsWith("Bedrock embedding model '" + MODEL + "' " + expected), failure.getMessage());
    assertEquals(1, bedrock.requests().size(), "one attempt: the caller decides about retrying");
  }

  @Test
  void anAnswerOfTheWrongSizeIsUnavailableNotAVector() {
    bedrock.answer(request -> Response.json("{\"embedding\":[0.5,0.5]}"));
    var failure = assertThrows(EmbeddingUnavailableException.class, () -> embedder.embed("text"));
    assertEquals("Bedrock embedding model '" + MODEL + "' answered without an 'embedding' of 256 numbers", failure.getMessage());
  }

  @Test
  void anUnreachableEndpointIsUnavailable() {
    var unreachable =
        new BedrockTitanTextEmbedder(
            () -> AwsClients.bedrockRuntime(Region.US_EAST_1, Optional.of(java.net.URI.create("http://127.0.0.1:9"))), MODEL, 512,
            Duration.ofSeconds(2));
    var failure = assertThrows(EmbeddingUnavailableException.class, () -> unreachable.embed("text"));
    assertTrue(failure.getMessage().contains("could not be reached"), failure.getMessage());
  }

  @Test
  void takesOnlyTitansSizes() {
    var refused = assertThrows(IllegalArgumentException.class, () -> new BedrockTitanTextEmbedder(() -> null, MODEL, 384, Duration.ofSeconds(1)));
    assertEquals("Titan Text Embeddings v2 makes vectors of 256, 512 or 1024 dimensions, not 384", refused.getMessage());
  }
}
