package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockTitanTextEmbedder;
import dev.tollgate.aws.DynamoDbKnowledgeStore;
import dev.tollgate.rag.KnowledgeIngestion;
import dev.tollgate.rag.RetrievalCodec;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.SourceDocument.Block;
import dev.tollgate.rag.SourceDocument;
import dev.tollgate.rag.function.RagEnvironment;
import dev.tollgate.rag.function.RagHandler;
import dev.tollgate.testing.LoopbackAwsServer.Response;
import dev.tollgate.testing.LoopbackAwsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Holds RagFunction in infra/template.yaml and its code together: the handler, jar and variables
 * it is deployed with, a role that allows the AWS calls it is seen to make against loopback
 * fakes and no more, and the proxy's permission to invoke it and only it.
 */
class RagTemplateContractTest {

  private static final String RAG = "RagFunction";
  private static final String RAG_JAR = "functions/rag/target/tollgate-rag-lambda.jar";
  private static final String TITAN = "amazon.titan-embed-text-v2:0";

  private static SamTemplate template;

  @BeforeAll
  static void readTemplate() throws Exception {
    template = SamTemplate.read(ProxyTestBed.repoRoot().resolve("infra/template.yaml"));
  }

  private static JsonNode properties(String id) {
    return template.resource(id).path("Properties");
  }

  private static JsonNode variables(String id) {
    return properties(id).path("Environment").path("Variables");
  }

  private static List<JsonNode> roleOf(SamTemplate values, String id) {
    return values.roleStatements(SamTemplate.referencedId(properties(id).path("Role")));
  }

  @Test
  void runsTheShadedJarOnJava25WithSnapStartAndEveryVariableItNeeds() throws Exception {
    JsonNode rag = properties(RAG);
    assertEquals("java25", rag.path("Runtime").asText());
    assertEquals("PublishedVersions", rag.path("SnapStart").path("ApplyOn").asText());
    assertEquals("live", rag.path("AutoPublishAlias").asText(), "the proxy invokes the live alias, the SnapStart version");
    assertTrue(template.resource(RAG).path("Metadata").path("SkipBuild").asBoolean());
    assertTrue(rag.path("MemorySize").asInt() >= 1024, "the in-memory index");
    Path root = ProxyTestBed.repoRoot();
    Path codeUri = root.resolve("infra").resolve(rag.path("CodeUri").asText()).normalize();
    assertEquals(root.resolve(RAG_JAR), codeUri);
    assertTrue(Files.readString(root.resolve("functions/rag/pom.xml"))
        .contains("<outputFile>${project.build.directory}/" + codeUri.getFileName() + "</outputFile>"));
    assertTrue(Files.readString(root.resolve("pom.xml")).contains("<module>functions/rag</module>"));
    assertEquals("dev.tollgate.rag.function.RagHandler::handleRequest", rag.path("Handler").asText());

    JsonNode variables = variables(RAG);
    for (RagEnvironment variable : RagEnvironment.values()) {
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
    assertEquals("tollgate-knowledge", template.evaluate(variables.path(RagEnvironment.KNOWLEDGE_TABLE.variable())));
    // The function embeds queries with the model and size the proxy (and ingestion) use.
    for (String proxy : List.of("ProxyFunction", "StreamingFunction")) {
      for (String shared : List.of("TOLLGATE_EMBEDDING_MODEL", "TOLLGATE_EMBEDDING_DIMENSIONS")) {
        assertEquals(template.evaluate(variables.path(shared)), template.evaluate(variables(proxy).path(shared)), proxy + " " + shared);
      }
    }
    assertEquals(TITAN, template.evaluate(variables.path("TOLLGATE_EMBEDDING_MODEL")));
  }

  @Test
  void theProxyInvokesTheLiveAliasOfRagFunctionAndNoOtherFunction() {
    String function = template.evaluate(properties(RAG).path("FunctionName"));
    for (String proxy : List.of("ProxyFunction", "StreamingFunction")) {
      String target = template.evaluate(variables(proxy).path(ProxyEnvironment.RAG_FUNCTION.variable()));
      assertEquals(function + ":live", target, proxy);
      List<JsonNode> statements = roleOf(template, proxy);
      assertTrue(TemplateContractTest.allows(template, statements, "lambda:InvokeFunction", TemplateContractTest.arnOf("lambda", target)));
      assertFalse(TemplateContractTest.allows(template, statements, "lambda:InvokeFunction",
          TemplateContractTest.arnOf("lambda", template.evaluate(Json.object().put("Ref", "ModerationFunction")))), "no other function");
      assertFalse(TemplateContractTest.allows(template, statements, "lambda:InvokeFunction", TemplateContractTest.arnOf("lambda", function)),
          "not $LATEST, which SnapStart does not cover");
      assertFalse(TemplateContractTest.allows(template, statements, "lambda:InvokeFunction", TemplateContractTest.arnOf("lambda", function + ":other")));
    }
  }

  @Test
  void theRagRoleAllowsEveryAwsCallTheFunctionMakesAndNoMore() throws Exception {
    ProxyTestBed bed = ProxyTestBed.create();
    String table = bed.tablePrefix() + "knowledge";
    DynamoDbClient dynamo = bed.dynamo();
    putBase(dynamo, table, "legacy", Map.of("retriever", "bedrock", "bedrockKnowledgeBaseId", "KBLEGACY01"));
    try (LoopbackAwsServer titan = LoopbackAwsServer.start(); LoopbackAwsServer agent = LoopbackAwsServer.start()) {
      titan.answer(request -> Response.json(titanVector(512)));
      agent.answer(request -> Response.json("{\"retrievalResults\": []}"));
      Map<String, String> env = new HashMap<>();
      env.put(RagEnvironment.KNOWLEDGE_TABLE.variable(), table);
      env.put(RagEnvironment.DYNAMODB_ENDPOINT.variable(), ProxyTestBed.dynamoDbEndpoint().toString());
      env.put(RagEnvironment.BEDROCK_ENDPOINT.variable(), titan.endpoint().toString());
      env.put(RagEnvironment.BEDROCK_AGENT_ENDPOINT.variable(), agent.endpoint().toString());
      env.put(RagEnvironment.EMBEDDING_MODEL.variable(), template.evaluate(variables(RAG).path("TOLLGATE_EMBEDDING_MODEL")));
      env.put(RagEnvironment.AWS_REGION.variable(), ProxyTestBed.REGION);
      // a base ingested into the table (by `tollgate kb ingest --embedding bedrock`), served by the deployed wiring
      var ingestEmbedder =
          new BedrockTitanTextEmbedder(
              () -> AwsClients.bedrockRuntime(Region.of(ProxyTestBed.REGION), Optional.of(titan.endpoint())),
              env.get(RagEnvironment.EMBEDDING_MODEL.variable()),
              BedrockTitanTextEmbedder.DEFAULT_DIMENSIONS,
              Duration.ofSeconds(5));
      new KnowledgeIngestion(new DynamoDbKnowledgeStore(dynamo, table), ingestEmbedder)
          .ingest("handbook", SourceDocument.of("vacation.md", "Vacation", List.of(Block.paragraph("25 vacation days a year."))));
      RagHandler handler = new RagHandler(env);

      List<AwsCallRecorder.Call> calls =
          AwsCallRecorder.record(() -> {
            assertTrue(invoke(handler, "{\"kb\":\"handbook\",\"query\":\"vacation days\"}").contains("\"chunks\""));
            assertTrue(invoke(handler, "{\"kb\":\"legacy\",\"query\":\"vpn\"}").contains("\"chunks\""));
          });

      SamTemplate deployed = template.withParameters(Map.of("TablePrefix", bed.tablePrefix()));
      List<JsonNode> statements = roleOf(deployed, RAG);
      Set<String> actions = new LinkedHashSet<>();
      for (AwsCallRecorder.Call call : calls) {
        String prefix = TemplateContractTest.IAM_PREFIX.get(call.service());
        assertNotNull(prefix, call.toString());
        String action = prefix + ":" + TemplateContractTest.IAM_ACTION.getOrDefault(call.service() + "." + call.operation(), call.operation());
        String arn = TemplateContractTest.arnOf(prefix, call.resource());
        actions.add(action);
        assertTrue(TemplateContractTest.allows(deployed, statements, action, arn), "RagFunctionRole must allow " + action + " on " + arn);
      }
      assertEquals(Set.of("dynamodb:GetItem", "dynamodb:Query", "bedrock:InvokeModel", "bedrock:Retrieve"), actions, calls.toString());
      String knowledge = TemplateContractTest.arnOf("dynamodb", table);
      for (String write : List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem")) {
        assertFalse(TemplateContractTest.allows(deployed, statements, write, knowledge), write + ": RagFunction only reads");
      }
      assertFalse(TemplateContractTest.allows(deployed, statements, "bedrock:InvokeModel",
          TemplateContractTest.arnOf("bedrock", "anthropic.claude-3-haiku-20240307-v1:0")), "only the embedding model");
    }
  }

  @Test
  void theProxysRetrievalAndEmbeddingCallsAreAllowedToBothProxyFunctions() throws Exception {
    try (LoopbackAwsServer lambda = LoopbackAwsServer.start(); LoopbackAwsServer titan = LoopbackAwsServer.start()) {
      var chunk = new RetrievedChunk("a.md#0", "a.md", "A", 0, "text", 0.9, Map.of());
      lambda.answer(request -> Response.json(new String(RetrievalCodec.encodeChunks(List.of(chunk)), StandardCharsets.UTF_8)));
      titan.answer(request -> Response.json(titanVector(512)));
      Map<String, String> env = new HashMap<>();
      env.put(ProxyEnvironment.RAG_FUNCTION.variable(), template.evaluate(variables("ProxyFunction").path("TOLLGATE_RAG_FUNCTION")));
      env.put(ProxyEnvironment.LAMBDA_ENDPOINT.variable(), lambda.endpoint().toString());
      env.put(ProxyEnvironment.BEDROCK_ENDPOINT.variable(), titan.endpoint().toString());
      env.put(ProxyEnvironment.EMBEDDING_MODEL.variable(), template.evaluate(variables("ProxyFunction").path("TOLLGATE_EMBEDDING_MODEL")));
      Region region = Region.of(ProxyTestBed.REGION);
      var retriever = LambdaWiring.retriever(env, region);
      var embedder = LambdaWiring.embedder(env, region);

      List<AwsCallRecorder.Call> calls =
          AwsCallRecorder.record(() -> {
            assertEquals(List.of(chunk), retriever.retrieve(new RetrievalQuery("handbook", "q", 4, 0, Map.of())));
            assertEquals(512, embedder.embed("q").length);
          });

      Set<String> actions = new LinkedHashSet<>();
      for (String proxy : List.of("ProxyFunction", "StreamingFunction")) {
        List<JsonNode> statements = roleOf(template, proxy);
        for (AwsCallRecorder.Call call : calls) {
          String prefix = TemplateContractTest.IAM_PREFIX.get(call.service());
          assertNotNull(prefix, call.toString());
          String action = prefix + ":" + TemplateContractTest.IAM_ACTION.getOrDefault(call.service() + "." + call.operation(), call.operation());
          actions.add(action);
          assertTrue(TemplateContractTest.allows(template, statements, action, TemplateContractTest.arnOf(prefix, call.resource())),
              proxy + "'s role must allow " + action + " on " + call.resource());
        }
      }
      assertEquals(Set.of("lambda:InvokeFunction", "bedrock:InvokeModel"), actions, calls.toString());
    }
  }

  @Test
  void withoutRagFunctionTheProxyHasNoRetriever() {
    var retriever = LambdaWiring.retriever(Map.of(), Region.US_EAST_1);
    var failure = org.junit.jupiter.api.Assertions.assertThrows(dev.tollgate.rag.RetrievalException.class,
        () -> retriever.retrieve(new RetrievalQuery("handbook", "q", 4, 0, Map.of())));
    assertTrue(failure.getMessage().startsWith("no retriever is configured"), failure.getMessage());
  }

  private static String titanVector(int dimensions) {
    var body = Json.object();
    var embedding = body.putArray("embedding");
    for (int i = 0; i < dimensions; i++) {
      embedding.add(i == 0 ? 1.0 : 0.0);
    }
    return Json.text(body);
  }

  private static String invoke(RagHandler handler, String request) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, ProxyTestBed.context("rag-contract"));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void putBase(DynamoDbClient dynamo, String table, String kb, Map<String, String> attributes) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("kb", AttributeValue.fromS(kb));
    item.put("sk", AttributeValue.fromS("base"));
    attributes.forEach((k, v) -> item.put(k, AttributeValue.fromS(v)));
    dynamo.putItem(b -> b.tableName(table).item(item));
  }
}
