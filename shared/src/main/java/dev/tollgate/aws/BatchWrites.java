package dev.tollgate.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** BatchWriteItem in groups of 25, sending unprocessed items again with backoff until all are written. */
final class BatchWrites {

  private static final int BATCH = 25;
  private static final int MAX_ROUNDS = 10;

  private final DynamoDbClient dynamo;
  private final String table;

  BatchWrites(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  void put(List<Map<String, AttributeValue>> items) {
    write(items.stream().map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList());
  }

  void delete(List<Map<String, AttributeValue>> keys) {
    write(keys.stream().map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build()).toList());
  }

  private void write(List<WriteRequest> requests) {
    for (int from = 0; from < requests.size(); from += BATCH) {
      List<WriteRequest> pending = new ArrayList<>(requests.subList(from, Math.min(requests.size(), from + BATCH)));
      for (int round = 0; !pending.isEmpty(); round++) {
        if (round == MAX_ROUNDS) {
          throw new IllegalStateException("DynamoDB left " + pending.size() + " writes to " + table + " unprocessed after " + round + " tries");
        }
        if (round > 0) {
          pause(round);
        }
        List<WriteRequest> sending = pending;
        BatchWriteItemResponse response = dynamo.batchWriteItem(request -> request.requestItems(Map.of(table, sending)));
        pending = new ArrayList<>(response.unprocessedItems().getOrDefault(table, List.of()));
      }
    }
  }

  private static void pause(int round) {
    try {
      Thread.sleep(Math.min(2_000, 50L << round));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying unprocessed DynamoDB writes", e);
    }
  }
}
