package dev.tollgate.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.rag.RetrievalCodec;
import dev.tollgate.rag.RetrievalException;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.Retriever;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Retrieval as the proxy does it in AWS: a synchronous Lambda {@code Invoke} of RagFunction with
 * {@link RetrievalCodec}'s request. RagFunction answers "unknown knowledge base" and other
 * failures as values, mapped here to the {@link Retriever} exceptions; the function failing
 * itself (an unhandled error, a timeout, throttling, a missing function) is a {@link RetrievalException}.
 */
public final class LambdaRetriever implements Retriever {

  private static final int MAX_DETAIL = 300;

  private final LambdaClient client;
  private final String functionName;

  /**
   * @param client built once, with the short timeouts of {@link AwsClients#lambda}
   * @param functionName RagFunction's name, ARN or alias ARN
   */
  public LambdaRetriever(LambdaClient client, String functionName) {
    this.client = client;
    this.functionName = functionName;
  }

  @Override
  public List<RetrievedChunk> retrieve(RetrievalQuery query) {
    InvokeRequest request =
        InvokeRequest.builder()
            .functionName(functionName)
            .invocationType(InvocationType.REQUEST_RESPONSE)
            .payload(SdkBytes.fromByteArray(RetrievalCodec.encodeQuery(query)))
            .build();
    InvokeResponse response;
    try {
      response = client.invoke(request);
    } catch (SdkException e) {
      throw new RetrievalException(message(AwsFailures.of(e)), e);
    }
    byte[] payload = response.payload() == null ? new byte[0] : response.payload().asByteArray();
    if (response.functionError() != null) {
      throw new RetrievalException("RagFunction '" + functionName + "' failed (" + response.functionError() + "): " + errorDetail(payload));
    }
    return RetrievalCodec.decodeAnswer(payload, query.kb());
  }

  /** Lambda's error payload, {@code {"errorType", "errorMessage"}}, shortened. */
  private static String errorDetail(byte[] payload) {
    JsonNode error = Json.parseOrNull(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
    String detail =
        error == null
            ? "no error payload"
            : error.path("errorType").asText("error") + ": " + error.path("errorMessage").asText("no message");
    return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
  }

  private String message(AwsFailures.Failure failure) {
    String head = "RagFunction '" + functionName + "' " + failure.description();
    return switch (failure.kind()) {
      case THROTTLED -> head + "; its concurrency is exhausted";
      case ACCESS_DENIED -> head + "; the proxy's role needs lambda:InvokeFunction on it";
      case NOT_FOUND -> head + "; check TOLLGATE_RAG_FUNCTION";
      default -> head;
    };
  }
}
