package dev.tollgate.proxy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.limit.InMemoryQuotaStore;
import dev.tollgate.moderation.GuardrailVerdict;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.telemetry.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs sample requests through the whole request path (event mapping, Jackson, validation,
 * routing, rendering; chat, streams, embeddings and Anthropic messages) against an in-memory mock
 * route, so a SnapStart snapshot holds loaded and warmed classes. It uses no network.
 */
final class Priming {

  private Priming() {}

  /**
   * Primes the request path, then sends {@code gateway} one request that loads its config and
   * warms its AWS clients (DynamoDB is reachable during init). Returns {@link #run()}'s count.
   */
  static int warm(Gateway gateway) {
    int primed = run();
    gateway.handle(new GatewayRequest("GET", "/v1/models", Map.of(), new byte[0], "init-warm-up"));
    return primed;
  }

  /** Returns how many sample requests were answered with the status expected of them. */
  static int run() {
    String key = ApiKeys.generate();
    Gateway gateway = primingGateway(key);
    String chat = "{\"model\":\"prime\",\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}]}";
    String stream =
        "{\"model\":\"prime\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
    int ok = 0;
    ok += expect(gateway, event("POST", "/v1/chat/completions", key, chat), 200);
    ok += expect(gateway, event("POST", "/v1/chat/completions", key, stream), 200);
    ok += expect(gateway, event("GET", "/v1/models", key, null), 200);
    ok += expect(gateway, event("POST", "/v1/embeddings", key, "{\"model\":\"prime\",\"input\":[\"warm\",\"up\"]}"), 200);
    ok += expect(
        gateway,
        event("POST", "/v1/messages", key,
            "{\"model\":\"prime\",\"max_tokens\":16,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
        200);
    ok += expect(gateway, event("POST", "/v1/chat/completions", key, "{\"model\":"), 400);
    ok += expect(gateway, event("POST", "/v1/chat/completions", "tg-wrong", chat), 401);
    return ok;
  }

  private static int expect(Gateway gateway, APIGatewayV2HTTPEvent event, int status) {
    var response = ApiGatewayMapping.toResponse(gateway.handle(ApiGatewayMapping.toRequest(event, "prime")));
    return response.getStatusCode() == status ? 1 : 0;
  }

  private static Gateway primingGateway(String key) {
    var route = Json.object();
    var target = Json.object().put("provider", MockProvider.TYPE);
    var keyItem = Json.object().put("consumer", "priming");
    keyItem.putArray("models").add("*");
    var source =
        new StaticConfigSource(
            "priming",
            List.of(
                new ConfigItem(ItemKeys.routePk("prime"), ItemKeys.ROUTE_SK, route, "priming"),
                new ConfigItem(ItemKeys.routePk("prime"), ItemKeys.targetSk("mock"), target, "priming"),
                new ConfigItem(ItemKeys.keyPk(ApiKeys.hash(key)), ItemKeys.KEY_SK, keyItem, "priming"),
                // A request limit warms the limit path (reserve, headers, settle) in memory,
                // without the tokenizer, whose vocabularies only a snapshot should pay for.
                new ConfigItem(ItemKeys.limitPk("priming"), ItemKeys.LIMIT_SK, primingLimit(), "priming"),
                // A guardrail warms the input check and the moderation enqueue, against the
                // stand-ins below: no Bedrock, no SQS.
                new ConfigItem(ItemKeys.guardrailPk("priming"), ItemKeys.GUARDRAIL_SK, primingGuardrail(), "priming")));
    Clock clock = Clock.systemUTC();
    var ports =
        new GatewayAssembly.Ports(
            source, new EnvCredentialResolver(Map.of()), Metrics.NONE, clock, Duration.ofHours(1), RandomSource.seeded(1),
            new InMemoryQuotaStore(), (id, version, text, from) -> GuardrailVerdict.PASSED, message -> message.toJson());
    return GatewayAssembly.build(ports, new ProviderRegistry().register(new MockProvider(clock)));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode primingGuardrail() {
    return Json.object().put("guardrailId", "priming").put("guardrailVersion", "DRAFT").put("input", true).put("output", true);
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode primingLimit() {
    var limit = Json.object().put("metric", "requests").put("limit", 1_000_000).put("window", "1m").put("mode", "local");
    limit.putArray("scope").add("consumer").add("route");
    return limit;
  }

  private static APIGatewayV2HTTPEvent event(String method, String path, String key, String body) {
    return APIGatewayV2HTTPEvent.builder()
        .withRawPath(path)
        .withHeaders(Map.of("authorization", "Bearer " + key, "content-type", "application/json"))
        .withBody(body)
        .withIsBase64Encoded(false)
        .withRequestContext(
            APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId("prime")
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                .build())
        .build();
  }
}
