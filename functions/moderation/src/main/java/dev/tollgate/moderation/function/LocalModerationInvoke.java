package dev.tollgate.moderation.function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the handler once on an SQS event file (e.g. {@code events/moderation/sqs-batch.json})
 * outside Lambda, with the process environment, and prints the batch response as JSON:
 * {@code java -cp tollgate-moderation-lambda.jar dev.tollgate.moderation.function.LocalModerationInvoke FILE}.
 */
public final class LocalModerationInvoke {

  private LocalModerationInvoke() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: LocalModerationInvoke <sqs-event.json>");
      System.exit(2);
    }
    SQSBatchResponse response = new ModerationHandler().handleRequest(read(Path.of(args[0])), null);
    var failures = Json.array();
    response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier", f.getItemIdentifier()));
    var out = Json.object();
    out.set("batchItemFailures", failures);
    System.out.println(Json.text(out));
  }

  /** The event as Lambda sends it ({@code Records}, each with {@code messageId} and {@code body}). */
  static SQSEvent read(Path file) throws java.io.IOException {
    JsonNode root = Json.parse(Files.readAllBytes(file));
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (JsonNode record : root.path("Records")) {
      SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
      message.setMessageId(record.path("messageId").asText());
      message.setReceiptHandle(record.path("receiptHandle").asText());
      message.setBody(record.path("body").asText());
      message.setEventSource(record.path("eventSource").asText());
      records.add(message);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }
}
