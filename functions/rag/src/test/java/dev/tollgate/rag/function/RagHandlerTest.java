package dev.tollgate.rag.function;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockTitanTextEmbedder;
import dev.tollgate.aws.DynamoDbKnowledgeStore;
import dev.tollgate.embedding.Vectors;
import dev.tollgate.rag.KnowledgeIngestion;
import dev.tollgate.rag.RetrievedChunk;
import dev.tollgate.rag.SourceDocument.Block;
import dev.tollgate.rag.SourceDocument;
import dev.tollgate.testing.DynamoDbLocal;
import dev.tollgate.testing.HashingEmbedder;
import dev.tollgate.testing.LambdaTestContext;
import dev.tollgate.testing.LoopbackAwsServer.Response;
import dev.tollgate.testing.LoopbackAwsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * RagHandler fed the sample requests in events/rag/, with real parts on loopback: the knowledge
 * table's base items in DynamoDB Local, Titan (InvokeModel) and Bedrock Knowledge Bases (Retrieve)
 * speaking their wire formats, and a small stand-in for the knowledge table's index that scores
 * by cosine through the function's own embedder.
 */
class RagHandlerTest {

  @RegisterExtension static final DynamoDbLocal dynamo = new DynamoDbLocal();

  static final String BEDROCK_KB_ID = "KBLEGACY01";
  private static final List<RetrievedChunk> HANDBOOK =
      List.of(
          new RetrievedChunk("vacation.md#0", "vacation.md", "Vacation", 0, "Every employee gets 25 vacation days per year.", 0, Map.of("lang", "en")),
          new RetrievedChunk("vacation.md#1", "vacation.md", "Vacation", 1, "Unused vacation days carry over until March.", 0, Map.of("lang", "en")),
          new RetrievedChunk("urlaub.md#0", "urlaub.md", "Urlaub", 0, "Jeder bekommt 25 Urlaubstage per year vacation days.", 0, Map.of("lang", "de")),
          new RetrievedChunk("parking.md#0", "parking.md", "Parking", 0, "The garage opens at seven.", 0, Map.of("lang", "en")));

  private static LoopbackAwsServer titan;
  private static LoopbackAwsServer agent;
  private static Map<String, String> env;

  @BeforeAll
  static void start() {
    titan = LoopbackAwsServer.start();
    agent = LoopbackAwsServer.start();
    var hashing = new HashingEmbedder(256);
    // Titan's InvokeModel answer, with a deterministic bag-of-words vector for the inputText.
    titan.answer(request -> {
      float[] vector = hashing.embed(Json.parse(request.body()).path("inputText").asText());
      var body = Json.object();
      var embedding = body.putArray("embedding");
      for (float v : vector) {
        embedding.add(v);
      }
      body.put("inputTextTokenCount", 9);
      return Response.json(Json.text(body));
    });
    agent.answer(request -> Response.json(
        """
        {"retrievalResults": [{"content": {"type": "TEXT", "text": "Reset the token in the VPN portal."}, "score": 0.77,
          "location": {"type": "S3", "s3Location": {"uri": "s3://wiki/it/vpn.md"}}, "metadata": {"lang": "en"}}]}
        """));
    DynamoDbClient client = dynamo.serverClient();
    String table = dynamo.freshPrefix() + "knowledge";
    createKnowledgeTable(client, table);
    putBase(client, table, "handbook", Map.of("retriever", "index"));
    putBase(client, table, "legacy-wiki", Map.of("retriever", "bedrock", "bedrockKnowledgeBaseId", BEDROCK_KB_ID));
    env = new HashMap<>();
    env.put(RagEnvironment.KNOWLEDGE_TABLE.variable(), table);
    env.put(RagEnvironment.DYNAMODB_ENDPOINT.variable(), dynamo.serverEndpoint().toString());
    env.put(RagEnvironment.BEDROCK_ENDPOINT.variable(), titan.endpoint().toString());
    env.put(RagEnvironment.BEDROCK_AGENT_ENDPOINT.variable(), agent.endpoint().toString());
    env.put(RagEnvironment.EMBEDDING_DIMENSIONS.variable(), "256");
    env.put(RagEnvironment.AWS_REGION.variable(), "us-east-1");
  }

  @AfterAll
  static void stop() {
    titan.close();
    agent.close();
  }

  /** The knowledge table's key: {@code kb} (hash) and {@code sk} (range). */
  static void createKnowledgeTable(DynamoDbClient client, String table) {
    client.createTable(b -> b.tableName(table)
        .billingMode("PAY_PER_REQUEST")
        .attributeDefinitions(
            a -> a.attributeName("kb").attributeType(ScalarAttributeType.S), a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
        .keySchema(k -> k.attributeName("kb").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
  }

  static void putBase(DynamoDbClient client, String table, String kb, Map<String, String> attributes) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("kb", AttributeValue.fromS(kb));
    item.put("sk", AttributeValue.fromS("base"));
    attributes.forEach((k, v) -> item.put(k, AttributeValue.fromS(v)));
    client.putItem(b -> b.tableName(table).item(item));
  }

  /** A stand-in for the knowledge table's index: cosine between the query and chunk texts, both through the function's embedder. */
  static final IndexRetrieverFactory STAND_IN_INDEX =
      (dynamoClient, table, embedder, clock) ->
          query -> {
            float[] q = embedder.embed(query.query());
            return HANDBOOK.stream()
                .filter(c -> c.metadata().entrySet().containsAll(query.filter().entrySet()))
                .map(c -> new RetrievedChunk(c.chunkId(), c.documentId(), c.title(), c.position(), c.text(),
                    Vectors.dot(q, embedder.embed(c.text())), c.metadata()))
                .filter(c -> c.score() >= query.minScore())
                .sorted(Comparator.comparingDouble(RetrievedChunk::score).reversed())
                .limit(query.topK())
                .toList();
          };

  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("infra/template.yaml"))) {
      dir = dir.getParent();
    }
    return dir;
  }

  private static JsonNode invoke(RagHandler handler, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(repoRoot().resolve("events/rag").resolve(event))) {
      handler.handleRequest(in, out, new LambdaTestContext("tollgate-rag-test", "req-" + event));
    }
    return Json.parse(out.toByteArray());
  }

  @Test
  void answersTheBestChunksOfAnIndexBaseWithScoreSourceTitleAndPosition() throws Exception {
    JsonNode answer = invoke(new RagHandler(env, STAND_IN_INDEX), "retrieve.json");

    JsonNode chunks = answer.path("chunks");
    assertEquals(2, chunks.size(), "the German chunk is filtered out, parking scores under 0.2: " + answer);
    JsonNode best = chunks.get(0);
    assertEquals("vacation.md#0", best.path("chunkId").asText());
    assertEquals("vacation.md", best.path("documentId").asText());
    assertEquals("Vacation", best.path("title").asText());
    assertEquals(0, best.path("position").asInt());
    assertEquals("Every employee gets 25 vacation days per year.", best.path("text").asText());
    assertEquals("en", best.path("metadata").path("lang").asText());
    assertTrue(best.path("score").asDouble() >= chunks.get(1).path("score").asDouble(), "best first");
    assertTrue(titan.requests().stream().anyMatch(r -> r.body().contains("How many vacation days")), "the query was embedded by Titan");
  }

  @Test
  void aBedrockBaseIsAnsweredByBedrockKnowledgeBases() throws Exception {
    JsonNode answer = invoke(new RagHandler(env, STAND_IN_INDEX), "bedrock-kb.json");

    JsonNode chunk = answer.path("chunks").get(0);
    assertEquals("s3://wiki/it/vpn.md", chunk.path("documentId").asText(), answer.toString());
    assertEquals("vpn.md", chunk.path("title").asText());
    assertEquals(0.77, chunk.path("score").asDouble());
    assertEquals("/knowledgebases/" + BEDROCK_KB_ID + "/retrieve", agent.requests().getLast().path());
    assertEquals(3, Json.parse(agent.requests().getLast().body()).at("/retrievalConfiguration/vectorSearchConfiguration/numberOfResults").asInt());
  }

  @Test
  void anUnknownBaseIsAnAnswerNotAFunctionError() throws Exception {
    assertEquals(
        Json.parse("{\"error\": {\"type\": \"unknown_kb\", \"message\": \"knowledge base 'no-such-base' does not exist\"}}"),
        invoke(new RagHandler(env, STAND_IN_INDEX), "unknown-kb.json"));
  }

  @Test
  void anInvalidRequestIsRefusedNamingTheField() throws Exception {
    assertEquals(
        Json.parse("{\"error\": {\"type\": \"invalid_request\", \"message\": \"'topK' must be a whole number from 1 to 50, got 0\"}}"),
        invoke(new RagHandler(env, STAND_IN_INDEX), "invalid.json"));
  }

  @Test
  void theDeployedWiringServesABaseIngestedIntoTheKnowledgeTable() throws Exception {
    // ingested as `tollgate kb ingest --embedding bedrock --embedding-dimensions 256` would: same model, same size
    var titanEmbedder =
        new BedrockTitanTextEmbedder(
            () -> AwsClients.bedrockRuntime(Region.US_EAST_1, Optional.of(titan.endpoint())),
            BedrockTitanTextEmbedder.DEFAULT_MODEL,
            256,
            Duration.ofSeconds(5));
    var store = new DynamoDbKnowledgeStore(dynamo.serverClient(), env.get(RagEnvironment.KNOWLEDGE_TABLE.variable()));
    new KnowledgeIngestion(store, titanEmbedder)
        .ingest(
            "manual",
            List.of(
                SourceDocument.of("vacation.md", "Vacation", List.of(Block.paragraph("Every employee gets 25 vacation days per year."))),
                SourceDocument.of("parking.md", "Parking", List.of(Block.paragraph("The garage opens at seven in the morning.")))));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] request = "{\"kb\": \"manual\", \"query\": \"How many vacation days per year?\", \"topK\": 1}".getBytes(UTF_8);
    new RagHandler(env).handleRequest(new ByteArrayInputStream(request), out, new LambdaTestContext("tollgate-rag-test", "req-manual"));
    JsonNode answer = Json.parse(out.toByteArray());

    assertEquals(1, answer.path("chunks").size(), answer.toString());
    assertEquals("vacation.md", answer.at("/chunks/0/documentId").asText(), answer.toString());
    assertTrue(answer.at("/chunks/0/text").asText().contains("25 vacation days"), answer.toString());
  }

  @Test
  void anUnreadableKnowledgeTableIsARetrievalFailure() throws Exception {
    Map<String, String> broken = new HashMap<>(env);
    broken.put(RagEnvironment.KNOWLEDGE_TABLE.variable(), "no-such-table");
    JsonNode answer = invoke(new RagHandler(broken, STAND_IN_INDEX), "retrieve.json");
    assertEquals("retrieval_failed", answer.at("/error/type").asText(), answer.toString());
    assertTrue(answer.at("/error/message").asText().startsWith("the knowledge table 'no-such-table' could not be read"), answer.toString());
  }

  @Test
  void primingAnswersItsSamplesWithoutNetwork() {
    assertEquals(4, RagPriming.run());
  }
}
