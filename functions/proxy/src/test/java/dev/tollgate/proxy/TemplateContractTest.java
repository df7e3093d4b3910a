package dev.tollgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.api.Json;
import dev.tollgate.aws.AuditItems;
import dev.tollgate.aws.BedrockContractTest;
import dev.tollgate.aws.DynamoDbResponseCache;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ItemKeys;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tollgate.moderation.ModerationMessage;
import dev.tollgate.moderation.function.ModerationEnvironment;
import dev.tollgate.moderation.function.ModerationHandler;
import dev.tollgate.testing.AuditTable;
import dev.tollgate.testing.FakeGuardrailServer;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.contract.WireMockFakeServer;
import dev.tollgate.provider.contract.WireScript;
import dev.tollgate.telemetry.MetricNames;
import dev.tollgate.telemetry.Metrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds infra/template.yaml and the code together: what the template deploys is what the code
 * needs, and the IAM policy allows the AWS calls the code is seen to make, and no more.
 */
class TemplateContractTest {

  private static final String FUNCTION = "ProxyFunction";
  private static final String STREAMING = "StreamingFunction";
  private static final String MODERATION = "ModerationFunction";
  private static final String MODERATION_JAR = "functions/moderation/target/tollgate-moderation-lambda.jar";
  private static final String STREAMING_ZIP = "functions/proxy/target/tollgate-streaming.zip";
  private static final String RUN_SCRIPT = "functions/proxy/src/streaming/run.sh";
  private static final String ZIP_ASSEMBLY = "functions/proxy/src/assembly/streaming-zip.xml";
  /** Lambda Web Adapter: the layer's wrapper script, and its publisher's account. */
  private static final String ADAPTER_WRAPPER = "/opt/bootstrap";
  private static final Pattern ADAPTER_LAYER =
      Pattern.compile("arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerX86:\\d+");
  private static final String DEFAULT_TABLE_PREFIX = "tollgate-"; // the CLI's --table-prefix default
  private static final String SHADED_JAR = "functions/proxy/target/tollgate-proxy-lambda.jar";

  /** IAM's service prefix for each SDK service the code calls. */
  static final Map<String, String> IAM_PREFIX =
      Map.of("DynamoDb", "dynamodb", "SecretsManager", "secretsmanager", "BedrockRuntime", "bedrock", "Sqs", "sqs",
          "Lambda", "lambda", "BedrockAgentRuntime", "bedrock");

  /** SDK operations IAM authorizes under another action's name; all others share the operation's. */
  static final Map<String, String> IAM_ACTION =
      Map.of("BedrockRuntime.Converse", "InvokeModel", "BedrockRuntime.ConverseStream", "InvokeModelWithResponseStream",
          "Lambda.Invoke", "InvokeFunction");

  private static SamTemplate template;
  private static JsonNode function;

  @BeforeAll
  static void readTemplate() throws Exception {
    template = SamTemplate.read(ProxyTestBed.repoRoot().resolve("infra/template.yaml"));
    function = template.resource(FUNCTION).path("Properties");
  }

  @Test
  void isASamTemplate() {
    assertEquals("AWS::Serverless-2016-10-31", template.root().path("Transform").asText());
    assertEquals("AWS::Serverless::Function", template.resource(FUNCTION).path("Type").asText());
  }

  @Test
  void everyHandlerIsARequestHandlerOnTheClasspath() throws Exception {
    List<String> functions = new ArrayList<>(template.resourcesOfType("AWS::Serverless::Function"));
    functions.addAll(template.resourcesOfType("AWS::Lambda::Function"));
    assertFalse(functions.isEmpty());
    for (String id : functions) {
      if (runByWebAdapter(id)) {
        continue; // its handler is a startup script: theStreamingFunctionRunsItsScriptUnderTheWebAdapter
      }
      String handler = template.resource(id).path("Properties").path("Handler").asText();
      String[] parts = handler.split("::");
      Class<?> type = Class.forName(parts[0]);
      assertTrue(RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type),
          id + ": " + type + " implements RequestHandler or RequestStreamHandler");
      assertTrue(Modifier.isPublic(type.getConstructor().getModifiers()), id + ": Lambda needs a public no-arg constructor");
      String method = parts.length > 1 ? parts[1] : "handleRequest";
      List<Method> named = List.of(type.getMethods()).stream().filter(m -> m.getName().equals(method)).toList();
      assertFalse(named.isEmpty(), id + ": " + type.getName() + " has a public " + method);
    }
  }

  @Test
  void runsTheShadedJarOnJava25WithSnapStartOnPublishedVersions() throws Exception {
    assertEquals("java25", function.path("Runtime").asText());
    assertEquals("PublishedVersions", function.path("SnapStart").path("ApplyOn").asText());
    assertFalse(function.path("AutoPublishAlias").asText().isBlank(), "SnapStart applies to published versions only");
    assertTrue(template.resource(FUNCTION).path("Metadata").path("SkipBuild").asBoolean(), "sam build skips the Maven jar");
    Path root = ProxyTestBed.repoRoot();
    Path codeUri = root.resolve("infra").resolve(function.path("CodeUri").asText()).normalize();
    assertEquals(root.resolve(SHADED_JAR), codeUri, "CodeUri is the shaded jar, relative to infra/");
    String pom = Files.readString(root.resolve("functions/proxy/pom.xml"));
    assertTrue(
        pom.contains("<outputFile>${project.build.directory}/" + codeUri.getFileName() + "</outputFile>"),
        "the shade plugin writes the jar the template deploys");
    int timeout = function.path("Timeout").asInt();
    assertTrue(timeout > 0 && timeout <= 30, "an HTTP API waits at most 30 s; the function should not run longer");
  }

  @ParameterizedTest
  @ValueSource(strings = {FUNCTION, STREAMING})
  void everyRequiredVariableIsSetAndNoReservedOneIs(String id) {
    JsonNode variables = variables(id);
    for (ProxyEnvironment variable : ProxyEnvironment.values()) {
      JsonNode value = variables.path(variable.variable());
      switch (variable.need()) {
        case REQUIRED ->
            assertFalse(
                value.isMissingNode() || template.evaluate(value).isBlank(),
                variable.variable() + " is required and must be set on " + id);
        case SET_BY_LAMBDA ->
            assertTrue(value.isMissingNode(), variable.variable() + " is reserved: Lambda sets it and refuses it in a template");
        case OPTIONAL -> {
          // may be set; when set, it must evaluate
          if (!value.isMissingNode()) {
            template.evaluate(value);
          }
        }
      }
    }
    String configTable = template.evaluate(variables.path(ProxyEnvironment.CONFIG_TABLE.variable()));
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.CONFIG, configTable);
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.COUNTERS, template.evaluate(variables.path("TOLLGATE_COUNTERS_TABLE")));
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.AUDIT, template.evaluate(variables.path("TOLLGATE_AUDIT_TABLE")));
    for (String powertools : List.of("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL")) {
      assertFalse(template.evaluate(variables.path(powertools)).isBlank(), powertools);
    }
  }

  @Test
  void definesEveryTableWithTheKeysTheCodeUses() {
    JsonNode config = table(TableSchemas.CONFIG);
    JsonNode counters = table(TableSchemas.COUNTERS);
    for (JsonNode table : List.of(config, counters)) {
      JsonNode properties = table.path("Properties");
      assertEquals("PAY_PER_REQUEST", properties.path("BillingMode").asText());
      assertEquals(
          Map.of(ItemKeys.PK, "HASH", ItemKeys.SK, "RANGE"), pairs(properties.path("KeySchema"), "AttributeName", "KeyType"));
      assertEquals(
          Map.of(ItemKeys.PK, "S", ItemKeys.SK, "S"),
          pairs(properties.path("AttributeDefinitions"), "AttributeName", "AttributeType"));
    }
    JsonNode ttl = counters.path("Properties").path("TimeToLiveSpecification");
    assertEquals(TableSchemas.TTL_ATTRIBUTE, ttl.path("AttributeName").asText());
    assertTrue(ttl.path("Enabled").asBoolean(), "counters expire through TTL");
    assertTrue(config.path("Properties").path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean());
    assertTrue(
        table(TableSchemas.AUDIT).path("Properties").path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled")
            .asBoolean(),
        "the audit table can be restored to any point (the README promises it)");
    assertEquals("Retain", config.path("DeletionPolicy").asText(), "hand-edited config survives the stack");
    assertEquals("Retain", config.path("UpdateReplacePolicy").asText());
  }

  @Test
  void theKnowledgeTableIsKeyedByKbAndSkAndIsAnOutput() {
    JsonNode properties = table(TableSchemas.KNOWLEDGE).path("Properties");
    assertEquals("PAY_PER_REQUEST", properties.path("BillingMode").asText());
    assertEquals(
        Map.of(dev.tollgate.aws.DynamoDbKnowledgeStore.KB, "HASH", dev.tollgate.aws.DynamoDbKnowledgeStore.SK, "RANGE"),
        pairs(properties.path("KeySchema"), "AttributeName", "KeyType"));
    assertEquals(
        Map.of(dev.tollgate.aws.DynamoDbKnowledgeStore.KB, "S", dev.tollgate.aws.DynamoDbKnowledgeStore.SK, "S"),
        pairs(properties.path("AttributeDefinitions"), "AttributeName", "AttributeType"));
    assertEquals(
        DEFAULT_TABLE_PREFIX + TableSchemas.KNOWLEDGE,
        template.evaluate(template.root().path("Outputs").path("KnowledgeTableName").path("Value")));
  }

  @Test
  void theAuditTableIsKeyedByRequestIdExpiresAndIsIndexedByConsumerAndTime() {
    JsonNode properties = table(TableSchemas.AUDIT).path("Properties");
    assertEquals("PAY_PER_REQUEST", properties.path("BillingMode").asText());
    assertEquals(Map.of(AuditItems.REQUEST_ID, "HASH"), pairs(properties.path("KeySchema"), "AttributeName", "KeyType"));
    assertEquals(
        Map.of(AuditItems.REQUEST_ID, "S", AuditItems.CONSUMER, "S", AuditItems.AT, "S"),
        pairs(properties.path("AttributeDefinitions"), "AttributeName", "AttributeType"));
    JsonNode ttl = properties.path("TimeToLiveSpecification");
    assertEquals(TableSchemas.TTL_ATTRIBUTE, ttl.path("AttributeName").asText());
    assertTrue(ttl.path("Enabled").asBoolean(), "records expire after the retention");
    JsonNode indexes = properties.path("GlobalSecondaryIndexes");
    assertEquals(1, indexes.size());
    JsonNode index = indexes.get(0);
    assertEquals(TableSchemas.BY_CONSUMER, index.path("IndexName").asText());
    assertEquals(Map.of(AuditItems.CONSUMER, "HASH", AuditItems.AT, "RANGE"), pairs(index.path("KeySchema"), "AttributeName", "KeyType"));
    assertEquals("ALL", index.path("Projection").path("ProjectionType").asText(), "tollgate audit reads whole records from the index");
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.AUDIT, template.evaluate(template.root().path("Outputs").path("AuditTableName").path("Value")));
  }

  @Test
  void theCacheTableIsKeyedByKeyAndExpires() {
    JsonNode properties = table(TableSchemas.CACHE).path("Properties");
    assertEquals("PAY_PER_REQUEST", properties.path("BillingMode").asText());
    assertEquals(Map.of(DynamoDbResponseCache.KEY, "HASH"), pairs(properties.path("KeySchema"), "AttributeName", "KeyType"));
    assertEquals(Map.of(DynamoDbResponseCache.KEY, "S"), pairs(properties.path("AttributeDefinitions"), "AttributeName", "AttributeType"));
    JsonNode ttl = properties.path("TimeToLiveSpecification");
    assertEquals(TableSchemas.TTL_ATTRIBUTE, ttl.path("AttributeName").asText());
    assertTrue(ttl.path("Enabled").asBoolean(), "cached answers expire");
    for (String id : List.of(FUNCTION, STREAMING)) {
      assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.CACHE,
          template.evaluate(variables(id).path(ProxyEnvironment.CACHE_TABLE.variable())), id);
      List<JsonNode> statements = template.roleStatements(SamTemplate.referencedId(template.resource(id).path("Properties").path("Role")));
      String cache = "arn:aws:dynamodb:us-east-1:123456789012:table/" + DEFAULT_TABLE_PREFIX + TableSchemas.CACHE;
      assertTrue(allows(statements, "dynamodb:GetItem", cache) && allows(statements, "dynamodb:PutItem", cache), id);
      for (String other : List.of("dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan")) {
        assertFalse(allows(statements, other, cache), other + " on the cache table");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {FUNCTION, STREAMING})
  void theFunctionsMayOnlyPutAuditRecords(String id) {
    List<JsonNode> statements = template.roleStatements(SamTemplate.referencedId(template.resource(id).path("Properties").path("Role")));
    String audit = "arn:aws:dynamodb:us-east-1:123456789012:table/" + DEFAULT_TABLE_PREFIX + TableSchemas.AUDIT;
    assertTrue(allows(statements, "dynamodb:PutItem", audit));
    for (String other : List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan",
        "dynamodb:BatchWriteItem")) {
      assertFalse(allows(statements, other, audit), other + " on the audit table");
      assertFalse(allows(statements, other, audit + "/index/" + TableSchemas.BY_CONSUMER), other + " on the audit index");
    }
  }

  @Test
  void alarmsWatchTheMetricsTheCodeEmitsUnderTheFunctionsServiceNames() {
    Set<String> services = new HashSet<>();
    String namespace = template.evaluate(variables(FUNCTION).path("POWERTOOLS_METRICS_NAMESPACE"));
    for (String id : List.of(FUNCTION, STREAMING)) {
      services.add(template.evaluate(variables(id).path("POWERTOOLS_SERVICE_NAME")));
      assertEquals(namespace, template.evaluate(variables(id).path("POWERTOOLS_METRICS_NAMESPACE")));
    }
    String topic = SamTemplate.referencedId(template.root().path("Outputs").path("AlarmTopicArn").path("Value"));
    assertEquals("AWS::SNS::Topic", template.resource(topic).path("Type").asText());
    Map<String, Set<String>> watched = new HashMap<>(); // metric -> services it is watched for
    Set<String> awsMetrics = new HashSet<>();
    for (String id : template.resourcesOfType("AWS::CloudWatch::Alarm")) {
      JsonNode alarm = template.resource(id).path("Properties");
      assertEquals(topic, SamTemplate.referencedId(alarm.path("AlarmActions").get(0)), id + " notifies the topic");
      assertEquals(1, countReturned(alarm.path("Metrics")), id + ": one expression decides");
      for (JsonNode query : alarm.path("Metrics")) {
        JsonNode metric = query.path("MetricStat").path("Metric");
        if (metric.isMissingNode()) {
          continue;
        }
        String metricNamespace = metric.path("Namespace").asText();
        if (metricNamespace.startsWith("AWS/")) {
          awsMetrics.add(metricNamespace + " " + metric.path("MetricName").asText());
          continue;
        }
        assertEquals(namespace, metricNamespace, id);
        JsonNode dimensions = metric.path("Dimensions");
        assertEquals(1, dimensions.size(), "the gateway-wide metrics carry Service only: " + id);
        assertEquals("Service", dimensions.get(0).path("Name").asText());
        watched.computeIfAbsent(metric.path("MetricName").asText(), m -> new HashSet<>()).add(template.evaluate(dimensions.get(0).path("Value")));
      }
    }
    for (String metric : List.of(MetricNames.SERVER_ERRORS, MetricNames.REQUESTS, MetricNames.AUDIT_FALLBACKS)) {
      assertEquals(services, watched.get(metric), metric + " is watched in both functions");
    }
    assertEquals(Set.of("AWS/Lambda Throttles", "AWS/DynamoDB WriteThrottleEvents", "AWS/SQS ApproximateNumberOfMessagesVisible"), awsMetrics);
  }

  @Test
  void theDashboardIsJsonAndShowsTheRequestMetrics() {
    List<String> dashboards = template.resourcesOfType("AWS::CloudWatch::Dashboard");
    assertEquals(1, dashboards.size());
    String body = template.evaluate(template.resource(dashboards.getFirst()).path("Properties").path("DashboardBody"));
    JsonNode parsed = Json.parse(body);
    assertTrue(parsed.path("widgets").size() >= 5, body);
    for (String metric : List.of(MetricNames.REQUESTS, MetricNames.SERVER_ERRORS, MetricNames.ERRORS, MetricNames.LATENCY_MS,
        MetricNames.TOKENS_IN, MetricNames.TOKENS_OUT, MetricNames.COST_USD, MetricNames.OVERHEAD_MS, MetricNames.AUDIT_FALLBACKS)) {
      assertTrue(body.contains("MetricName=\\\"" + metric + "\\\""), metric + " on the dashboard");
    }
    for (String dimension : List.of(PowertoolsMetrics.MODEL, PowertoolsMetrics.TARGET, PowertoolsMetrics.CONSUMER)) {
      assertTrue(body.contains("," + dimension), dimension + " searched for");
    }
  }

  private static int countReturned(JsonNode queries) {
    int returned = 0;
    for (JsonNode query : queries) {
      returned += query.path("ReturnData").asBoolean(true) ? 1 : 0;
    }
    return returned;
  }

  @Test
  void routesEveryV1PathOfAnHttpApiToTheFunction() {
    List<JsonNode> events = new ArrayList<>();
    function.path("Events").forEach(events::add);
    assertEquals(1, events.size(), "one route");
    JsonNode event = events.getFirst();
    assertEquals("HttpApi", event.path("Type").asText());
    JsonNode route = event.path("Properties");
    assertEquals("/v1/{proxy+}", route.path("Path").asText());
    assertEquals("ANY", route.path("Method").asText());
    assertEquals("2.0", route.path("PayloadFormatVersion").asText(), "ApiGatewayMapping reads payload 2.0");
    JsonNode api = template.resource(SamTemplate.referencedId(route.path("ApiId")));
    assertEquals("AWS::Serverless::HttpApi", api.path("Type").asText());
    String stage = api.path("Properties").path("StageName").asText("$default");
    assertEquals("$default", stage, "paths carry no stage name, so rawPath is /v1/...");
  }

  @Test
  void outputsTheEndpointTheTablesAndTheFunction() {
    JsonNode outputs = template.root().path("Outputs");
    String endpoint = template.evaluate(outputs.path("ApiEndpoint").path("Value"));
    assertTrue(Pattern.matches("https://ProxyApi-physical-id\\.execute-api\\.us-east-1\\.amazonaws\\.com/v1", endpoint), endpoint);
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.CONFIG, template.evaluate(outputs.path("ConfigTableName").path("Value")));
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.COUNTERS, template.evaluate(outputs.path("CountersTableName").path("Value")));
    assertEquals(FUNCTION, SamTemplate.referencedId(outputs.path("ProxyFunctionName").path("Value")));
    String streaming = template.evaluate(outputs.path("StreamingEndpoint").path("Value"));
    String stage = template.resource("StreamingApi").path("Properties").path("StageName").asText();
    assertEquals("https://StreamingApi-physical-id.execute-api.us-east-1.amazonaws.com/" + stage + "/v1", streaming);
    assertEquals(STREAMING, SamTemplate.referencedId(outputs.path("StreamingFunctionName").path("Value")));
  }

  @ParameterizedTest
  @CsvSource({FUNCTION + "," + STREAMING, STREAMING + "," + FUNCTION, MODERATION + "," + FUNCTION, "RagFunction," + FUNCTION})
  void logsGoToItsOwnGroupWithRetentionAndTheRoleMayWriteOnlyThere(String id, String otherId) {
    JsonNode function = template.resource(id).path("Properties");
    String logGroup = SamTemplate.referencedId(function.path("LoggingConfig").path("LogGroup"));
    JsonNode group = template.resource(logGroup);
    assertEquals("AWS::Logs::LogGroup", group.path("Type").asText());
    assertEquals("LogRetentionDays", group.path("Properties").path("RetentionInDays").path("Ref").asText());
    // With an explicit role SAM attaches no AWSLambdaBasicExecutionRole, whose log actions have Resource "*".
    assertTrue(function.path("Policies").isMissingNode(), "permissions belong in the role");
    List<JsonNode> statements = template.roleStatements(SamTemplate.referencedId(function.path("Role")));
    String streamArn =
        "arn:aws:logs:us-east-1:123456789012:log-group:"
            + template.evaluate(group.path("Properties").path("LogGroupName"))
            + ":log-stream:2026/11/24/[$LATEST]0123456789abcdef";
    for (String action : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
      assertTrue(allows(statements, action, streamArn), action + " on " + streamArn);
    }
    String otherGroup =
        template.evaluate(
            template.resource(SamTemplate.referencedId(template.resource(otherId).path("Properties").path("LoggingConfig").path("LogGroup")))
                .path("Properties")
                .path("LogGroupName"));
    assertNotEquals(template.evaluate(group.path("Properties").path("LogGroupName")), otherGroup, "a group per function");
    String otherStream = "arn:aws:logs:us-east-1:123456789012:log-group:" + otherGroup + ":log-stream:x";
    assertFalse(allows(statements, "logs:PutLogEvents", otherStream), "only its own group, not " + otherId + "'s");
  }

  @Test
  void noStatementAllowsWildcardActionsOrEveryResource() {
    List<JsonNode> statements = template.allStatements();
    assertFalse(statements.isEmpty());
    for (JsonNode statement : statements) {
      assertTrue(statement.path("NotAction").isMissingNode() && statement.path("NotResource").isMissingNode(), statement.toString());
      for (String action : template.evaluateAll(statement.path("Action"))) {
        assertFalse(action.contains("*"), "wildcard action in " + statement);
      }
      for (String resource : template.evaluateAll(statement.path("Resource"))) {
        assertFalse(resource.equals("*"), "Resource \"*\" in " + statement);
      }
    }
  }

  @Test
  void theRoleAllowsEveryAwsCallTheCodeMakes() throws Exception {
    WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    WireMockServer secretsManager = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    upstream.start();
    secretsManager.start();
    SQSRestServer sqs = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    try {
      stubSecretsManager(secretsManager, "tollgate/test", "{\"apiKey\":\"sk-upstream-from-secret\"}");
      // ApplyGuardrail (input checks), answering "no intervention".
      upstream.stubFor(
          post(urlPathMatching("/guardrail/.+/version/.+/apply"))
              .willReturn(okJson("{\"action\": \"NONE\", \"outputs\": [], \"assessments\": [{}]}")));
      // The moderation queue, named as the template names it for stack tollgate-test.
      String sqsEndpoint = "http://127.0.0.1:" + sqs.waitUntilStarted().localAddress().getPort();
      String queueUrl =
          dev.tollgate.aws.AwsClients.sqs(software.amazon.awssdk.regions.Region.US_EAST_1, java.util.Optional.of(java.net.URI.create(sqsEndpoint)))
              .createQueue(b -> b.queueName(template.evaluate(template.resource("ModerationQueue").path("Properties").path("QueueName"))))
              .queueUrl();
      upstream.stubFor(
          post(urlPathMatching("/model/.+/converse"))
              .willReturn(
                  okJson(
                      """
                      {"output": {"message": {"role": "assistant", "content": [{"text": "answered by bedrock"}]}},
                       "stopReason": "end_turn", "usage": {"inputTokens": 3, "outputTokens": 4, "totalTokens": 7}}
                      """)));
      // ConverseStream answers in AWS's binary event stream, as the contract suite scripts it.
      upstream.stubFor(
          post(urlPathMatching("/model/.+/converse-stream"))
              .willReturn(
                  WireMockFakeServer.response(
                      new BedrockContractTest.BedrockWire()
                          .streamedText(List.of("streamed ", "by bedrock"), new WireScript.Tokens(3, 4, 0)))));
      upstream.stubFor(
          post("/v1/chat/completions")
              .withHeader("Authorization", equalTo("Bearer sk-upstream-from-secret"))
              .willReturn(okJson(completion("answered upstream"))));
      ProxyTestBed bed = ProxyTestBed.withExampleConfig();
      bed.apply(
          """
          {"models": {"secret-model": {"targets": [{"id": "upstream", "provider": "openai-compatible",
            "baseUrl": "http://127.0.0.1:%d/v1", "model": "gpt-test", "credential": "secret:tollgate/test#apiKey"}]},
           "bedrock-model": {"targets": [{"id": "bedrock", "provider": "bedrock",
            "baseUrl": "http://127.0.0.1:%d", "model": "anthropic.claude-3-haiku-20240307-v1:0"}]}},
           "limits": {
            "one-counter": {"metric": "totalTokens", "limit": 100000, "window": "1m", "scope": ["consumer"],
              "models": ["secret-model"]},
            "bedrock-sliding": {"metric": "totalTokens", "limit": 100000, "window": "1h", "windowKind": "sliding",
              "scope": ["consumer"], "models": ["bedrock-model"]},
            "bedrock-requests": {"metric": "requests", "limit": 1000, "window": "1d", "models": ["bedrock-model"]}},
           "guardrails": {"checked": {"guardrailId": "gr1contract", "guardrailVersion": "1", "input": true, "output": true}},
           "caches": {"contract": {"mode": "exact", "models": ["mock"], "deterministicOnly": false}}}
          """
              .formatted(upstream.port(), upstream.port()));
      Map<String, String> env = new HashMap<>(bed.environment());
      env.put(ProxyEnvironment.SECRETSMANAGER_ENDPOINT.variable(), "http://127.0.0.1:" + secretsManager.port());
      env.put(ProxyEnvironment.GUARDRAIL_ENDPOINT.variable(), "http://127.0.0.1:" + upstream.port());
      env.put(ProxyEnvironment.SQS_ENDPOINT.variable(), sqsEndpoint);
      env.put(ProxyEnvironment.MODERATION_QUEUE_URL.variable(), queueUrl);
      ProxyHandler handler = new ProxyHandler(env);
      // The streaming function's core, as StreamingMain builds it; its server would call it on
      // its own threads, which the recorder does not watch, so the test calls it directly.
      Gateway streaming = LambdaWiring.gateway(env, Metrics.NONE);

      List<AwsCallRecorder.Call> calls =
          AwsCallRecorder.record(() -> {
            assertEquals(200, chat(handler, "mock").getStatusCode());
            // the response cache: a miss reads and stores, the repeat is a hit
            assertEquals("hit", chat(handler, "mock").getHeaders().get("x-tollgate-cache"));
            APIGatewayV2HTTPResponse viaSecret = chat(handler, "secret-model");
            assertEquals(200, viaSecret.getStatusCode(), viaSecret.getBody());
            assertEquals("answered upstream", Json.parse(viaSecret.getBody()).at("/choices/0/message/content").asText());
            APIGatewayV2HTTPResponse viaBedrock = chat(handler, "bedrock-model");
            assertEquals(200, viaBedrock.getStatusCode(), viaBedrock.getBody());
            assertEquals("answered by bedrock", Json.parse(viaBedrock.getBody()).at("/choices/0/message/content").asText());
            String streamed = stream(streaming, "bedrock-model");
            assertTrue(streamed.contains("\"content\":\"streamed \"") && streamed.contains("\"content\":\"by bedrock\""), streamed);
            assertTrue(streamed.endsWith("data: [DONE]\n\n"), streamed);
          });

      Set<String> actions = new LinkedHashSet<>();
      SamTemplate deployed =
          template.withParameters(Map.of("TablePrefix", bed.tablePrefix(), "SecretPrefix", ProxyTestBed.SECRET_PREFIX));
      for (String id : List.of(FUNCTION, STREAMING)) {
        // Both functions run the same core, so each role must allow every call it makes.
        List<JsonNode> statements = deployed.roleStatements(SamTemplate.referencedId(template.resource(id).path("Properties").path("Role")));
        for (AwsCallRecorder.Call call : calls) {
          String prefix = IAM_PREFIX.get(call.service());
          if (prefix == null) {
            fail("the code calls " + call.service() + "." + call.operation() + ": add its IAM prefix and ARN form here, and a statement to the template");
          }
          String action = prefix + ":" + IAM_ACTION.getOrDefault(call.service() + "." + call.operation(), call.operation());
          String arn = arnOf(prefix, call.resource());
          actions.add(action);
          assertTrue(allows(deployed, statements, action, arn), id + "'s role must allow " + action + " on " + arn);
        }
      }
      // Limits: one counter reserves with UpdateItem; two reserve in a transaction and read
      // (BatchGetItem) for the headers; a sliding one reads its previous bucket (GetItem);
      // settlements are transactions of updates and a PutItem marker. Every request puts its
      // audit record (PutItem on the audit table). The guardrail checks every prompt
      // (ApplyGuardrail) and every answer is enqueued for moderation (SendMessage).
      assertTrue(
          calls.stream().anyMatch(c -> c.operation().equals("PutItem") && c.resource().equals(bed.auditTable())),
          "audit records are put: " + calls);
      // the target statistics sync (Query on the counters table) runs in the background: whether it ran yet is timing
      actions.remove("dynamodb:Query");
      assertTrue(
          calls.stream().anyMatch(c -> c.operation().equals("PutItem") && c.resource().equals(bed.cacheTable()))
              && calls.stream().anyMatch(c -> c.operation().equals("GetItem") && c.resource().equals(bed.cacheTable())),
          "cached answers are read and put: " + calls);
      assertEquals(
          Set.of("dynamodb:Scan", "secretsmanager:GetSecretValue", "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
              "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "bedrock:ApplyGuardrail",
              "sqs:SendMessage"),
          actions,
          "the calls this test exercises");
    } finally {
      upstream.stop();
      secretsManager.stop();
      sqs.stopAndWait();
    }
  }

  @Test
  void theStreamingFunctionRunsItsScriptUnderTheWebAdapter() throws Exception {
    JsonNode streaming = template.resource(STREAMING).path("Properties");
    assertTrue(runByWebAdapter(STREAMING), "AWS_LAMBDA_EXEC_WRAPPER=" + ADAPTER_WRAPPER + " hands the start to the adapter");
    assertEquals("java25", streaming.path("Runtime").asText());
    assertEquals(List.of("x86_64"), template.evaluateAll(streaming.path("Architectures")), "the layer is the x86_64 build");
    List<String> layers = template.evaluateAll(streaming.path("Layers"));
    assertEquals(1, layers.size(), layers.toString());
    assertTrue(ADAPTER_LAYER.matcher(layers.getFirst()).matches(), layers.getFirst());
    assertTrue(streaming.path("SnapStart").isMissingNode(), "no snapshot covers the JVM the adapter starts");
    assertTrue(streaming.path("AutoPublishAlias").isMissingNode(), "a version would only matter for SnapStart");
    assertTrue(template.resource(STREAMING).path("Metadata").path("SkipBuild").asBoolean(), "sam build skips the Maven zip");

    Path root = ProxyTestBed.repoRoot();
    Path codeUri = root.resolve("infra").resolve(streaming.path("CodeUri").asText()).normalize();
    assertEquals(root.resolve(STREAMING_ZIP), codeUri, "CodeUri is the zip, relative to infra/");
    String pom = Files.readString(root.resolve("functions/proxy/pom.xml"));
    String zipName = codeUri.getFileName().toString();
    assertTrue(
        pom.contains("<finalName>" + zipName.substring(0, zipName.length() - ".zip".length()) + "</finalName>"),
        "the assembly plugin writes the zip the template deploys");

    // The handler is the script the adapter executes from /var/task: in the zip, executable,
    // starting the shaded jar's main class.
    String handler = streaming.path("Handler").asText();
    Path script = root.resolve(RUN_SCRIPT);
    assertEquals(script.getFileName().toString(), handler);
    String assembly = Files.readString(root.resolve(ZIP_ASSEMBLY));
    assertTrue(
        Pattern.compile("<source>src/streaming/" + Pattern.quote(handler) + "</source>\\s*<outputDirectory>/</outputDirectory>\\s*<fileMode>0755</fileMode>")
            .matcher(assembly)
            .find(),
        "the zip holds " + handler + " at its root with the executable bit");
    assertTrue(assembly.contains("<source>${project.build.directory}/" + Path.of(SHADED_JAR).getFileName() + "</source>"), "and the shaded jar");
    String text = Files.readString(script);
    assertTrue(text.startsWith("#!/bin/sh\n"), "an interpreter line; LF endings");
    assertFalse(text.contains("\r"), "CRLF breaks /bin/sh in Lambda");
    assertTrue(Files.isExecutable(script));
    // Joined at its line continuations, its one exec must be: exec java ... -cp "$task_root/<jar>" <main>
    List<String> commands = text.replace("\\\n", " ").lines().map(String::strip).filter(l -> l.startsWith("exec ")).toList();
    assertEquals(1, commands.size(), text);
    Matcher exec = Pattern.compile("^exec java .*-cp \"\\$task_root/([^\"]+)\" +([\\w.]+)$").matcher(commands.getFirst());
    assertTrue(exec.matches(), "run.sh execs java -cp <jar> <main class>: " + commands.getFirst());
    Class<?> main = Class.forName(exec.group(2));
    assertEquals(StreamingMain.class, main);
    Method method = main.getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(method.getModifiers()) && Modifier.isPublic(method.getModifiers()), "public static void main");
  }

  @Test
  void theAdapterStreamsAndFindsTheServerWhereStreamingMainListens() {
    JsonNode variables = variables(STREAMING);
    assertEquals(ADAPTER_WRAPPER, template.evaluate(variables.path("AWS_LAMBDA_EXEC_WRAPPER")));
    assertEquals("response_stream", template.evaluate(variables.path("AWS_LWA_INVOKE_MODE")));
    assertEquals(Gateway.HEALTH_PATH, template.evaluate(variables.path("AWS_LWA_READINESS_CHECK_PATH")));
    Map<String, String> deployed = new HashMap<>();
    variables.properties().forEach(e -> deployed.put(e.getKey(), template.evaluate(e.getValue())));
    // The adapter reads AWS_LWA_PORT (default 8080) and so does StreamingMain: they must agree.
    String adapterPort = deployed.getOrDefault("AWS_LWA_PORT", "8080");
    assertEquals(Integer.parseInt(adapterPort), StreamingMain.port(deployed));
    assertTrue(variables.path("AWS_LWA_READINESS_CHECK_PORT").isMissingNode(), "readiness on the server's own port");
    assertEquals(900, template.resource(STREAMING).path("Properties").path("Timeout").asInt(), "a stream may last 15 minutes");
    assertEquals("Lambda", template.evaluate(variables.path("AWS_EMF_ENVIRONMENT")), "EMF to stdout without probing");
  }

  @Test
  void theStreamingFunctionGetsTheProxysTablesSecretsAndPermissions() {
    JsonNode proxy = variables(FUNCTION);
    JsonNode streaming = variables(STREAMING);
    proxy.properties().forEach(e -> {
      if (e.getKey().startsWith("TOLLGATE_") || e.getKey().equals("POWERTOOLS_METRICS_NAMESPACE")) {
        assertEquals(template.evaluate(e.getValue()), template.evaluate(streaming.path(e.getKey())), e.getKey());
      }
    });
    assertEquals(
        template.resource(FUNCTION).path("Properties").path("MemorySize").asInt(),
        template.resource(STREAMING).path("Properties").path("MemorySize").asInt());
    // Apart from its own log group, each role holds exactly the same statements: the shared policy.
    assertEquals(nonLogStatements(FUNCTION), nonLogStatements(STREAMING));
    assertFalse(nonLogStatements(STREAMING).isEmpty());
    assertTrue(template.resource(STREAMING).path("Properties").path("Policies").isMissingNode(), "permissions belong in the role");
  }

  @Test
  void aRegionalRestApiStreamsEveryV1PathToTheStreamingFunction() {
    JsonNode api = template.resource("StreamingApi");
    assertEquals("AWS::Serverless::Api", api.path("Type").asText(), "a REST API: HTTP APIs cannot stream");
    JsonNode properties = api.path("Properties");
    assertEquals(List.of("REGIONAL"), template.evaluateAll(properties.path("EndpointConfiguration").path("Type")),
        "edge-optimized endpoints cut an idle stream after 30 s");
    JsonNode paths = properties.path("DefinitionBody").path("paths");
    assertEquals(List.of("/v1/{proxy+}"), List.copyOf(iterable(paths.fieldNames())), "one route");
    JsonNode operation = paths.path("/v1/{proxy+}").path("x-amazon-apigateway-any-method");
    JsonNode integration = operation.path("x-amazon-apigateway-integration");
    assertEquals("aws_proxy", integration.path("type").asText());
    assertEquals("POST", integration.path("httpMethod").asText(), "Lambda is always invoked with POST");
    assertEquals("STREAM", integration.path("responseTransferMode").asText());
    assertEquals(
        "arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/"
            + "arn:aws:lambda:us-east-1:123456789012:function:StreamingFunction-physical-id/response-streaming-invocations",
        template.evaluate(integration.path("uri")),
        "InvokeWithResponseStream, on the streaming function");
    int timeout = integration.path("timeoutInMillis").asInt();
    assertEquals(900_000, timeout, "streams may last 15 minutes");
    assertTrue(timeout <= template.resource(STREAMING).path("Properties").path("Timeout").asInt() * 1000, "the function outlives the integration");
    assertTrue(template.resource(STREAMING).path("Properties").path("Events").isMissingNode(),
        "a SAM Api event would add a buffered integration of its own");

    JsonNode permission = null;
    for (String id : template.resourcesOfType("AWS::Lambda::Permission")) {
      JsonNode candidate = template.resource(id).path("Properties");
      if (SamTemplate.referencedId(candidate.path("FunctionName")).equals(STREAMING)) {
        permission = candidate;
      }
    }
    assertNotNull(permission, "API Gateway needs permission to invoke the streaming function");
    assertEquals("lambda:InvokeFunction", permission.path("Action").asText(), "which also authorizes InvokeWithResponseStream");
    assertEquals("apigateway.amazonaws.com", permission.path("Principal").asText());
    assertEquals(
        "arn:aws:execute-api:us-east-1:123456789012:StreamingApi-physical-id/*/*/v1/*", template.evaluate(permission.path("SourceArn")),
        "only this API's v1 routes");
  }

  @Test
  void theModerationFunctionConsumesItsQueueReportingFailuresOneByOneWithADeadLetterQueue() throws Exception {
    JsonNode moderation = template.resource(MODERATION).path("Properties");
    assertEquals("java25", moderation.path("Runtime").asText());
    assertEquals("PublishedVersions", moderation.path("SnapStart").path("ApplyOn").asText());
    assertFalse(moderation.path("AutoPublishAlias").asText().isBlank(), "SnapStart applies to published versions only");
    assertTrue(template.resource(MODERATION).path("Metadata").path("SkipBuild").asBoolean());
    Path root = ProxyTestBed.repoRoot();
    Path codeUri = root.resolve("infra").resolve(moderation.path("CodeUri").asText()).normalize();
    assertEquals(root.resolve(MODERATION_JAR), codeUri, "CodeUri is the moderation module's shaded jar");
    assertTrue(Files.readString(root.resolve("functions/moderation/pom.xml"))
        .contains("<outputFile>${project.build.directory}/" + codeUri.getFileName() + "</outputFile>"));
    assertTrue(Files.readString(root.resolve("pom.xml")).contains("<module>functions/moderation</module>"));

    JsonNode variables = variables(MODERATION);
    for (ModerationEnvironment variable : ModerationEnvironment.values()) {
      JsonNode value = variables.path(variable.variable());
      switch (variable.need()) {
        case REQUIRED -> assertFalse(value.isMissingNode() || template.evaluate(value).isBlank(), variable.variable());
        case SET_BY_LAMBDA -> assertTrue(value.isMissingNode(), variable.variable() + " is reserved");
        case OPTIONAL -> {
          if (!value.isMissingNode()) {
            template.evaluate(value);
          }
        }
      }
    }
    assertEquals(DEFAULT_TABLE_PREFIX + "audit", template.evaluate(variables.path(ModerationEnvironment.AUDIT_TABLE.variable())));
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.COUNTERS, template.evaluate(variables.path(ModerationEnvironment.COUNTERS_TABLE.variable())));
    assertEquals(DEFAULT_TABLE_PREFIX + TableSchemas.CONFIG, template.evaluate(variables.path(ModerationEnvironment.CONFIG_TABLE.variable())));

    List<JsonNode> events = new ArrayList<>();
    moderation.path("Events").forEach(events::add);
    assertEquals(1, events.size());
    JsonNode source = events.getFirst();
    assertEquals("SQS", source.path("Type").asText());
    JsonNode properties = source.path("Properties");
    assertEquals("ModerationQueue", SamTemplate.referencedId(properties.path("Queue")));
    assertEquals(List.of("ReportBatchItemFailures"), template.evaluateAll(properties.path("FunctionResponseTypes")),
        "only the messages in batchItemFailures are retried");
    int batch = properties.path("BatchSize").asInt();
    assertTrue(batch >= 1 && batch <= 10, "at most 10 without a batching window over 0: " + batch);

    JsonNode queue = template.resource("ModerationQueue").path("Properties");
    assertTrue(queue.path("VisibilityTimeout").asInt() >= 6 * moderation.path("Timeout").asInt(),
        "Lambda advises a visibility timeout of six times the function's timeout");
    JsonNode redrive = queue.path("RedrivePolicy");
    assertEquals("ModerationDLQ", SamTemplate.referencedId(redrive.path("deadLetterTargetArn")));
    assertEquals(5, redrive.path("maxReceiveCount").asInt());

    String dlqName = template.evaluate(template.resource("ModerationDLQ").path("Properties").path("QueueName"));
    boolean alarmed = false;
    for (String id : template.resourcesOfType("AWS::CloudWatch::Alarm")) {
      JsonNode alarm = template.resource(id).path("Properties");
      for (JsonNode query : alarm.path("Metrics")) {
        JsonNode metric = query.path("MetricStat").path("Metric");
        boolean onDlq = false;
        for (JsonNode dimension : metric.path("Dimensions")) {
          onDlq |= dimension.path("Name").asText().equals("QueueName") && template.evaluate(dimension.path("Value")).equals(dlqName);
        }
        alarmed |= onDlq && metric.path("Namespace").asText().equals("AWS/SQS")
            && metric.path("MetricName").asText().equals("ApproximateNumberOfMessagesVisible")
            && query.path("ReturnData").asBoolean() && alarm.path("Threshold").asInt() == 0
            && alarm.path("ComparisonOperator").asText().equals("GreaterThanThreshold");
      }
    }
    assertTrue(alarmed, "an alarm fires when the dead-letter queue holds any message");

    String queueUrl = template.evaluate(Json.object().put("Ref", "ModerationQueue"));
    for (String id : List.of(FUNCTION, STREAMING)) {
      assertEquals(queueUrl, template.evaluate(variables(id).path(ProxyEnvironment.MODERATION_QUEUE_URL.variable())), id);
    }
  }

  @Test
  void theModerationRoleAllowsEveryAwsCallTheFunctionMakesAndNoMore() throws Exception {
    try (FakeGuardrailServer guardrail = FakeGuardrailServer.start("forbidden")) {
      ProxyTestBed bed = ProxyTestBed.withExampleConfig();
      String audit = bed.tablePrefix() + "audit";
      AuditTable.create(bed.dynamo(), audit);
      AuditTable.putRecord(bed.dynamo(), audit, "req-contract", "events");
      Map<String, String> env = new HashMap<>();
      env.put(ModerationEnvironment.AUDIT_TABLE.variable(), audit);
      env.put(ModerationEnvironment.COUNTERS_TABLE.variable(), bed.countersTable());
      env.put(ModerationEnvironment.CONFIG_TABLE.variable(), bed.configTable());
      env.put(ModerationEnvironment.DYNAMODB_ENDPOINT.variable(), ProxyTestBed.dynamoDbEndpoint().toString());
      env.put(ModerationEnvironment.GUARDRAIL_ENDPOINT.variable(), guardrail.endpoint().toString());
      env.put(ModerationEnvironment.AWS_REGION.variable(), ProxyTestBed.REGION);
      ModerationHandler handler = new ModerationHandler(env);
      var message =
          new ModerationMessage("req-contract", "events", "default", "mock", "a forbidden answer", "gr1contract", "1", 1, 86_400,
              java.time.Instant.now());
      SQSEvent event = new SQSEvent();
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId("m-contract");
      record.setBody(message.toJson());
      event.setRecords(List.of(record));

      List<AwsCallRecorder.Call> calls =
          AwsCallRecorder.record(() ->
              assertEquals(List.of(), handler.handleRequest(event, ProxyTestBed.context("moderation")).getBatchItemFailures()));

      SamTemplate deployed = template.withParameters(Map.of("TablePrefix", bed.tablePrefix()));
      List<JsonNode> statements =
          deployed.roleStatements(SamTemplate.referencedId(template.resource(MODERATION).path("Properties").path("Role")));
      Set<String> actions = new LinkedHashSet<>();
      Set<String> updated = new HashSet<>();
      for (AwsCallRecorder.Call call : calls) {
        String prefix = IAM_PREFIX.get(call.service());
        assertNotNull(prefix, call.toString());
        String action = prefix + ":" + call.operation();
        String arn = arnOf(prefix, call.resource());
        actions.add(action);
        if (call.operation().equals("UpdateItem")) {
          updated.add(call.resource());
        }
        assertTrue(allows(deployed, statements, action, arn), "ModerationFunctionRole must allow " + action + " on " + arn);
      }
      // Flagged with disableAfterFlags 1: the verdict, the flag, the consumer's key found and disabled.
      assertEquals(Set.of("bedrock:ApplyGuardrail", "dynamodb:UpdateItem", "dynamodb:Scan"), actions);
      assertEquals(Set.of(audit, bed.countersTable(), bed.configTable()), updated);
      assertFalse(allows(deployed, statements, "dynamodb:PutItem", arnOf("dynamodb", bed.configTable())), "no more than it needs");
      assertFalse(allows(deployed, statements, "dynamodb:DeleteItem", arnOf("dynamodb", audit)));
    }
  }

  private static boolean runByWebAdapter(String id) {
    JsonNode wrapper = variables(id).path("AWS_LAMBDA_EXEC_WRAPPER");
    return !wrapper.isMissingNode() && template.evaluate(wrapper).equals(ADAPTER_WRAPPER);
  }

  private static JsonNode variables(String id) {
    return template.resource(id).path("Properties").path("Environment").path("Variables");
  }

  private static Set<String> nonLogStatements(String id) {
    Set<String> statements = new HashSet<>();
    for (JsonNode statement : template.roleStatements(SamTemplate.referencedId(template.resource(id).path("Properties").path("Role")))) {
      if (template.evaluateAll(statement.path("Action")).stream().noneMatch(action -> action.startsWith("logs:"))) {
        statements.add(statement.toString());
      }
    }
    return statements;
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    List<T> list = new ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }

  private static JsonNode table(String name) {
    for (String id : template.resourcesOfType("AWS::DynamoDB::Table")) {
      JsonNode table = template.resource(id);
      if (template.evaluate(table.path("Properties").path("TableName")).equals(DEFAULT_TABLE_PREFIX + name)) {
        return table;
      }
    }
    throw new AssertionError("no table named " + DEFAULT_TABLE_PREFIX + name + " (TablePrefix + '" + name + "')");
  }

  private static Map<String, String> pairs(JsonNode list, String key, String value) {
    Map<String, String> pairs = new HashMap<>();
    list.forEach(element -> pairs.put(element.path(key).asText(), element.path(value).asText()));
    return pairs;
  }

  private static APIGatewayV2HTTPResponse chat(ProxyHandler handler, String model) throws Exception {
    ObjectNode event = (ObjectNode) ProxyTestBed.readJson(ProxyTestBed.repoRoot().resolve("events/chat.json"));
    ObjectNode body = (ObjectNode) Json.parse(event.path("body").asText());
    body.put("model", model);
    event.put("body", Json.text(body));
    APIGatewayV2HTTPEvent request = Json.mapper().treeToValue(event, APIGatewayV2HTTPEvent.class);
    return handler.handleRequest(request, ProxyTestBed.context("contract-" + model));
  }

  /** Streams a chat through {@code gateway} on this thread and returns the SSE body it wrote. */
  private static String stream(Gateway gateway, String model) throws Exception {
    ObjectNode event = (ObjectNode) ProxyTestBed.readJson(ProxyTestBed.repoRoot().resolve("events/chat.json"));
    ObjectNode body = (ObjectNode) Json.parse(event.path("body").asText());
    body.put("model", model).put("stream", true);
    Map<String, String> headers = new HashMap<>();
    event.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    headers.remove("content-length");
    GatewayResponse response =
        gateway.handleStreaming(new GatewayRequest("POST", "/v1/chat/completions", headers, Json.bytes(body), "contract-stream"));
    assertEquals(200, response.status(), new String(response.body(), StandardCharsets.UTF_8));
    assertTrue(response.streamed(), "a streamed answer");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    response.stream().writeTo(out::writeBytes);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The ARN of the resource a call addressed, as IAM evaluates it. */
  static String arnOf(String prefix, String resource) {
    String head = "arn:" + SamTemplate.PARTITION + ":" + prefix + ":" + ProxyTestBed.REGION + ":" + SamTemplate.ACCOUNT + ":";
    return switch (prefix) {
      case "dynamodb" -> head + "table/" + resource;
      // Secrets Manager appends a dash and six random characters to the name.
      case "secretsmanager" -> resource.startsWith("arn:") ? resource : head + "secret:" + resource + "-AbC123";
      // A model id is a foundation model (region-specific ARN, no account); an id with a geography
      // prefix ("us.", "eu.", ...) is a cross-region inference profile in this account.
      case "bedrock" -> {
        if (resource.startsWith("arn:")) {
          yield resource;
        }
        if (resource.startsWith("guardrail/") || resource.startsWith("knowledge-base/")) {
          yield head + resource;
        }
        yield Pattern.matches("(us|eu|apac|us-gov|global)\\..+", resource)
            ? head + "inference-profile/" + resource
            : "arn:" + SamTemplate.PARTITION + ":bedrock:" + ProxyTestBed.REGION + "::foundation-model/" + resource;
      }
      // A queue is addressed by its URL, .../ACCOUNT/NAME.
      case "sqs" -> head + resource.substring(resource.lastIndexOf('/') + 1);
      // Invoke names a function (optionally name:alias) or gives its ARN.
      case "lambda" -> resource.startsWith("arn:") ? resource : head + "function:" + resource;
      default -> throw new AssertionError("no ARN form for " + prefix);
    };
  }

  private static boolean allows(List<JsonNode> statements, String action, String arn) {
    return allows(template, statements, action, arn);
  }

  static boolean allows(SamTemplate values, List<JsonNode> statements, String action, String arn) {
    for (JsonNode statement : statements) {
      if (!statement.path("Effect").asText().equals("Allow")) {
        continue;
      }
      boolean actionMatches = values.evaluateAll(statement.path("Action")).stream().anyMatch(a -> glob(a, action, true));
      boolean resourceMatches = values.evaluateAll(statement.path("Resource")).stream().anyMatch(r -> glob(r, arn, false));
      if (actionMatches && resourceMatches) {
        return true;
      }
    }
    return false;
  }

  /** IAM's wildcard match: {@code *} any run of characters, {@code ?} one; actions ignore case. */
  private static boolean glob(String pattern, String value, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    Pattern compiled = Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    return compiled.matcher(ignoreCase ? value.toLowerCase(Locale.ROOT) : value).matches();
  }

  /** Secrets Manager's JSON 1.1 protocol: POST / with the operation in X-Amz-Target. */
  private static void stubSecretsManager(WireMockServer server, String name, String secretString) {
    ObjectNode answer = Json.object();
    answer.put("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbC123");
    answer.put("Name", name);
    answer.put("VersionId", "3f1b6a2e-0000-4000-8000-000000000001");
    answer.put("SecretString", secretString);
    answer.putArray("VersionStages").add("AWSCURRENT");
    answer.put("CreatedDate", 1795512600.0);
    server.stubFor(
        post("/")
            .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
            .withRequestBody(matchingJsonPath("$.SecretId", equalTo(name)))
            .willReturn(okForContentType("application/x-amz-json-1.1", Json.text(answer))));
  }

  private static String completion(String content) {
    ObjectNode completion = Json.object();
    completion.put("id", "chatcmpl-wiremock");
    completion.put("object", "chat.completion");
    completion.put("created", 1795512600L);
    completion.put("model", "gpt-test");
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", "stop");
    completion.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 2).put("total_tokens", 7);
    return Json.text(completion);
  }
}
