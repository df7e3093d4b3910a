package dev.tollgate.proxy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records the AWS calls the code makes, for the tests that compare them with the IAM policy and
 * that prove priming stays offline. The SDK adds it to every client it builds in the test JVM
 * (src/test/resources/software/amazon/awssdk/global/handlers/execution.interceptors); it records
 * only calls made on the thread that is inside {@link #record}, so test setup is not counted.
 * Async clients (ConverseStream on CRT) run {@code beforeExecution} on the calling thread too,
 * before the call goes to the SDK's threads, so their calls are recorded like the sync ones.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

  /** One call: SDK service name, operation, and the table, secret, model, queue, guardrail, function or knowledge base it addressed. */
  record Call(String service, String operation, String resource) {}

  /** Work that may throw. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  private static final List<Call> CALLS = new CopyOnWriteArrayList<>();
  private static volatile Thread recording;

  /** Runs {@code action} on this thread and returns the AWS calls it made. */
  static synchronized List<Call> record(Action action) throws Exception {
    CALLS.clear();
    recording = Thread.currentThread();
    try {
      action.run();
    } finally {
      recording = null;
    }
    return List.copyOf(CALLS);
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (Thread.currentThread() != recording) {
      return;
    }
    SdkRequest request = context.request();
    String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    // IAM authorizes a transaction item by item, and a batch read per table: record those.
    if (request instanceof TransactWriteItemsRequest transaction) {
      for (TransactWriteItem item : transaction.transactItems()) {
        if (item.update() != null) {
          CALLS.add(new Call(service, "UpdateItem", item.update().tableName()));
        }
        if (item.put() != null) {
          CALLS.add(new Call(service, "PutItem", item.put().tableName()));
        }
        if (item.delete() != null) {
          CALLS.add(new Call(service, "DeleteItem", item.delete().tableName()));
        }
        if (item.conditionCheck() != null) {
          CALLS.add(new Call(service, "ConditionCheckItem", item.conditionCheck().tableName()));
        }
      }
      return;
    }
    if (request instanceof BatchGetItemRequest batch) {
      batch.requestItems().keySet().forEach(table -> CALLS.add(new Call(service, "BatchGetItem", table)));
      return;
    }
    String resource =
        request
            .getValueForField("TableName", String.class)
            .or(() -> request.getValueForField("QueueUrl", String.class))
            .or(() -> request.getValueForField("guardrailIdentifier", String.class).map(id -> "guardrail/" + id))
            .or(() -> request.getValueForField("SecretId", String.class))
            .or(() -> request.getValueForField("modelId", String.class))
            .or(() -> request.getValueForField("FunctionName", String.class))
            .or(() -> request.getValueForField("knowledgeBaseId", String.class).map(id -> "knowledge-base/" + id))
            .or(() -> Optional.of("(none)"))
            .get();
    CALLS.add(
        new Call(service, attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), resource));
  }
}
