package dev.tollgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.aws.TableSchemas;
import dev.tollgate.config.ConfigDocument;
import dev.tollgate.config.ConfigError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;

/**
 * The handler against LocalStack's DynamoDB and Secrets Manager, where Docker runs: the config
 * table scanned over the real AWS protocol, and a provider key read from a real secret.
 */
@ExtendWith(DockerRequired.class)
class LocalStackHandlerTest {

  private static final String KEY = "tg-localstack-test-key";
  private static final String PROVIDER_KEY = "sk-from-localstack-secret";
  private static LocalStackContainer localstack;
  private static WireMockServer upstream;
  private static ProxyHandler handler;

  @BeforeAll
  static void start() {
    localstack =
        new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices("dynamodb", "secretsmanager");
    localstack.start();
    upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    upstream.start();
    upstream.stubFor(
        post(urlPathEqualTo("/v1/chat/completions"))
            .willReturn(okJson("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"up\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"from upstream\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")));

    Region region = Region.of(localstack.getRegion());
    try (var secrets = AwsClients.secretsManager(region, Optional.of(localstack.getEndpoint()))) {
      secrets.createSecret(CreateSecretRequest.builder().name("tollgate/providers")
          .secretString("{\"upstream\":\"" + PROVIDER_KEY + "\"}").build());
    }
    var dynamo = AwsClients.dynamoDb(region, Optional.of(localstack.getEndpoint()));
    TableSchemas.createAll(dynamo, "tollgate-");
    List<ConfigError> errors = new ArrayList<>();
    var items = ConfigDocument.toItems(Json.parse("""
        {"models": {
           "mock": {"targets": [{"id": "echo", "provider": "mock"}]},
           "hosted": {"targets": [{"id": "hosted", "provider": "openai-compatible", "model": "up",
                                   "baseUrl": "http://127.0.0.1:%d/v1",
                                   "credential": "secret:tollgate/providers#upstream"}]}},
         "keys": [{"sha256": "%s", "consumer": "localstack", "models": ["*"]}]}
        """.formatted(upstream.port(), ApiKeys.hash(KEY))), errors);
    assertEquals(List.of(), errors);
    new DynamoDbConfigWriter(dynamo, "tollgate-" + TableSchemas.CONFIG).apply(items, false);

    handler = new ProxyHandler(Map.of(
        "AWS_REGION", localstack.getRegion(),
        "TOLLGATE_CONFIG_TABLE", "tollgate-" + TableSchemas.CONFIG,
        "TOLLGATE_COUNTERS_TABLE", "tollgate-" + TableSchemas.COUNTERS,
        "TOLLGATE_AUDIT_TABLE", "tollgate-" + TableSchemas.AUDIT,
        "TOLLGATE_SECRET_PREFIX", "tollgate/",
        "TOLLGATE_DYNAMODB_ENDPOINT", localstack.getEndpoint().toString(),
        "TOLLGATE_SECRETSMANAGER_ENDPOINT", localstack.getEndpoint().toString()));
  }

  @AfterAll
  static void stop() {
    if (upstream != null) {
      upstream.stop();
    }
    if (localstack != null) {
      localstack.stop();
    }
  }

  private static APIGatewayV2HTTPResponse chat(String model) {
    APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
        .withRawPath("/v1/chat/completions")
        .withHeaders(Map.of("authorization", "Bearer " + KEY, "content-type", "application/json"))
        .withBody("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("ls-" + model)
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build()).build())
        .build();
    return handler.handleRequest(event, ProxyTestBed.context("ls-" + model));
  }

  @Test
  void servesARouteItScannedFromLocalStack() {
    APIGatewayV2HTTPResponse response = chat("mock");
    assertEquals(200, response.getStatusCode(), response.getBody());
    assertEquals("echo", response.getHeaders().get("x-tollgate-target"));
  }

  @Test
  void callsTheUpstreamWithTheKeyFromALocalStackSecret() {
    APIGatewayV2HTTPResponse response = chat("hosted");
    assertEquals(200, response.getStatusCode(), response.getBody());
    upstream.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
        .withHeader("authorization", equalTo("Bearer " + PROVIDER_KEY)));
  }
}
