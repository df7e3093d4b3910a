package dev.tollgate.moderation.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockGuardrail;
import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.aws.SqsModerationQueue;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.limit.InMemoryQuotaStore;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.telemetry.Metrics;
import dev.tollgate.testing.AuditTable;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.FakeGuardrailServer;
import dev.tollgate.testing.LambdaTestContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The whole moderation path with real parts on loopback: a gateway answers and its afterComplete
 * hook sends the answer to an SQS queue (ElasticMQ in this JVM); the test plays Lambda's event
 * source mapping (receive, invoke {@link ModerationHandler}, delete what succeeded); the handler
 * calls ApplyGuardrail on a loopback fake and writes to DynamoDB Local over HTTP.
 */
class ModerationFlowTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();
  private static SQSRestServer elasticMq;
  private static URI sqsEndpoint;
  private static FakeGuardrailServer guardrail;
  private static int queues;

  private static final String KEY = "tg-moderation-flow-key";

  private SqsClient sqs;
  private String queueUrl;
  private DynamoDbClient tables;
  private String prefix;
  private Map<String, String> env;

  @BeforeAll
  static void startServers() {
    elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    sqsEndpoint = URI.create("http://127.0.0.1:" + elasticMq.waitUntilStarted().localAddress().getPort());
    guardrail = FakeGuardrailServer.start("forbidden");
  }

  @AfterAll
  static void stopServers() {
    elasticMq.stopAndWait();
    guardrail.close();
  }

  @BeforeEach
  void freshQueueAndTables() {
    sqs = AwsClients.sqs(Region.US_EAST_1, Optional.of(sqsEndpoint));
    queueUrl = sqs.createQueue(b -> b.queueName("moderation-" + ++queues)).queueUrl();
    tables = dynamo.serverClient();
    prefix = dynamo.freshPrefix();
    TableSchemas.createAll(tables, prefix);
    AuditTable.create(tables, prefix + "audit");
    env = new HashMap<>();
    env.put(ModerationEnvironment.AUDIT_TABLE.variable(), prefix + "audit");
    env.put(ModerationEnvironment.COUNTERS_TABLE.variable(), prefix + TableSchemas.COUNTERS);
    env.put(ModerationEnvironment.CONFIG_TABLE.variable(), prefix + TableSchemas.CONFIG);
    env.put(ModerationEnvironment.DYNAMODB_ENDPOINT.variable(), dynamo.serverEndpoint().toString());
    env.put(ModerationEnvironment.GUARDRAIL_ENDPOINT.variable(), guardrail.endpoint().toString());
    env.put(ModerationEnvironment.AWS_REGION.variable(), "us-east-1");
  }

  private void applyConfig(int disableAfterFlags) {
    List<ConfigItem> items = new ArrayList<>();
    items.add(ConfigItems.target("chat", "echo").with("provider", MockProvider.TYPE).with("latencyMs", 0).build());
    items.add(ConfigItems.keyFor(KEY, "mallory", "*").build());
    items.add(ConfigItems.item(ItemKeys.guardrailPk("answers"), ItemKeys.GUARDRAIL_SK)
        .with("guardrailId", "gr1out").with("guardrailVersion", "2").with("output", true)
        .with("disableAfterFlags", disableAfterFlags).with("flagWindow", "1d").build());
    new DynamoDbConfigWriter(tables, prefix + TableSchemas.CONFIG).apply(items, false);
  }

  /** The proxy as LambdaWiring builds it, its config in DynamoDB Local, its queue on ElasticMQ. */
  private Gateway gateway() {
    Clock clock = Clock.systemUTC();
    var ports =
        new GatewayAssembly.Ports(
            new DynamoDbConfigSource(tables, prefix + TableSchemas.CONFIG), new EnvCredentialResolver(Map.of()), Metrics.NONE,
            clock, Duration.ZERO, RandomSource.seeded(3), new InMemoryQuotaStore(),
            new BedrockGuardrail(AwsClients.bedrockRuntime(Region.US_EAST_1, Optional.of(guardrail.endpoint()))),
            new SqsModerationQueue(sqs, queueUrl));
    return GatewayAssembly.build(ports, new ProviderRegistry().register(new MockProvider(clock)),
        dev.tollgate.config.RefreshingConfig.IN_PLACE);
  }

  private static GatewayResponse chat(Gateway gateway, String requestId, String text) {
    var body = Json.object().put("model", "chat");
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    return gateway.handle(new GatewayRequest("POST", "/v1/chat/completions", Map.of("authorization", "Bearer " + KEY),
        Json.bytes(body), requestId));
  }

  /** Lambda's event source mapping, one poll: receive, invoke, delete the messages that did not fail. */
  private SQSBatchResponse poll(ModerationHandler handler, int expected) {
    List<Message> received = new ArrayList<>();
    for (int tries = 0; tries < 20 && received.size() < expected; tries++) {
      received.addAll(sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(queueUrl).maxNumberOfMessages(10)
          .waitTimeSeconds(1).build()).messages());
    }
    assertEquals(expected, received.size(), "messages waiting");
    SQSEvent event = new SQSEvent();
    event.setRecords(received.stream().map(ModerationFlowTest::record).toList());
    SQSBatchResponse response = handler.handleRequest(event, new LambdaTestContext("tollgate-moderation-test", "poll"));
    List<String> failed = failedIds(response);
    for (Message message : received) {
      if (failed.contains(message.messageId())) {
        // back on the queue at once, as a visibility timeout would do later
        sqs.changeMessageVisibility(ChangeMessageVisibilityRequest.builder().queueUrl(queueUrl)
            .receiptHandle(message.receiptHandle()).visibilityTimeout(0).build());
      } else {
        sqs.deleteMessage(DeleteMessageRequest.builder().queueUrl(queueUrl).receiptHandle(message.receiptHandle()).build());
      }
    }
    return response;
  }

  private static SQSEvent.SQSMessage record(Message message) {
    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
    record.setMessageId(message.messageId());
    record.setReceiptHandle(message.receiptHandle());
    record.setBody(message.body());
    record.setEventSource("aws:sqs");
    return record;
  }

  private static List<String> failedIds(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
  }

  @Test
  void anAnswerGoesThroughTheQueueAndItsVerdictLandsInTheAuditRecordOnceItExists() {
    applyConfig(5);
    Gateway gateway = gateway();
    ModerationHandler handler = new ModerationHandler(env);

    GatewayResponse answered = chat(gateway, "req-flow-1", "say something forbidden");
    assertEquals(200, answered.status(), answered.bodyText());

    // The audit record is not there yet: the message fails alone and comes back.
    SQSBatchResponse first = poll(handler, 1);
    assertEquals(1, first.getBatchItemFailures().size());
    assertTrue(AuditTable.record(tables, prefix + "audit", "req-flow-1").isEmpty());

    AuditTable.putRecord(tables, prefix + "audit", "req-flow-1", "mallory");
    SQSBatchResponse second = poll(handler, 1);
    assertEquals(List.of(), second.getBatchItemFailures());

    var verdict = AuditTable.record(tables, prefix + "audit", "req-flow-1").get("moderation").m();
    assertEquals("flagged", verdict.get("action").s(), "the echo repeats the forbidden word");
    assertEquals("gr1out", verdict.get("guardrailId").s());
    assertEquals("2", verdict.get("guardrailVersion").s());
    FakeGuardrailServer.Call call = guardrail.calls().getLast();
    assertEquals("OUTPUT", call.source());
    assertEquals(Json.parse(answered.bodyText()).at("/choices/0/message/content").asText(), call.text(), "the answer the client got");
  }

  @Test
  void onlyTheFailedMessageOfABatchIsReported() {
    applyConfig(5);
    Gateway gateway = gateway();
    ModerationHandler handler = new ModerationHandler(env);
    for (String id : List.of("req-a", "req-b", "req-c")) {
      assertEquals(200, chat(gateway, id, "hello " + id).status());
    }
    AuditTable.putRecord(tables, prefix + "audit", "req-a", "mallory");
    AuditTable.putRecord(tables, prefix + "audit", "req-c", "mallory");
    String poison = sqs.sendMessage(SendMessageRequest.builder().queueUrl(queueUrl).messageBody("{\"not\":\"a message\"}").build())
        .messageId();

    SQSBatchResponse response = poll(handler, 4);

    List<String> failed = failedIds(response);
    assertEquals(2, failed.size(), failed.toString());
    assertTrue(failed.contains(poison), "the malformed body");
    assertEquals("passed", AuditTable.record(tables, prefix + "audit", "req-a").get("moderation").m().get("action").s());
    assertEquals("passed", AuditTable.record(tables, prefix + "audit", "req-c").get("moderation").m().get("action").s());
    assertTrue(AuditTable.record(tables, prefix + "audit", "req-b").isEmpty(), "req-b waits for its record");
  }

  @Test
  void aConsumerIsDisabledAfterNFlaggedAnswersAndTheGatewayThenRefusesItsKey() {
    applyConfig(2);
    Gateway gateway = gateway();
    ModerationHandler handler = new ModerationHandler(env);

    for (String id : List.of("req-f1", "req-ok", "req-f2")) {
      String text = id.equals("req-ok") ? "a harmless question" : "something forbidden " + id;
      assertEquals(200, chat(gateway, id, text).status());
      AuditTable.putRecord(tables, prefix + "audit", id, "mallory");
    }
    SQSBatchResponse response = poll(handler, 3);
    assertEquals(List.of(), response.getBatchItemFailures());

    ConfigItem key =
        new DynamoDbConfigSource(tables, prefix + TableSchemas.CONFIG).load().stream()
            .filter(i -> i.pk().equals(ItemKeys.keyPk(ApiKeys.hash(KEY)))).findFirst().orElseThrow();
    assertFalse(key.attributes().path("enabled").asBoolean(true), "the key item says enabled = false");
    GatewayResponse refused = chat(gateway, "req-after", "hello");
    assertEquals(401, refused.status(), "the gateway refuses a disabled key once it reloads config");
  }

  @Test
  void theSampleEventIsAMessageTheHandlerReads() throws Exception {
    applyConfig(5);
    // Read the way the Lambda runtime reads it (Records, capitalised), by AWS's own test helper.
    SQSEvent event = com.amazonaws.services.lambda.runtime.tests.EventLoader.loadSQSEvent(
        repoRoot().resolve("events/moderation/sqs-batch.json").toString());
    String requestId = ModerationFlowTest.requestIdOf(event);
    AuditTable.putRecord(tables, prefix + "audit", requestId, "events");

    SQSBatchResponse response = new ModerationHandler(env).handleRequest(event, new LambdaTestContext("tollgate-moderation-test", "event"));

    assertEquals(List.of(), response.getBatchItemFailures());
    assertEquals("passed", AuditTable.record(tables, prefix + "audit", requestId).get("moderation").m().get("action").s());
  }

  @Test
  void primingModeratesItsSamplesWithoutTheNetwork() {
    assertEquals(3, ModerationPriming.run());
  }

  private static String requestIdOf(SQSEvent event) {
    return Json.parse(event.getRecords().getFirst().getBody()).path("requestId").asText();
  }

  static java.nio.file.Path repoRoot() {
    java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
    while (dir != null && !java.nio.file.Files.exists(dir.resolve("infra/template.yaml"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
