package dev.tollgate.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.Json;
import dev.tollgate.auth.Consumer;
import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.BedrockGuardrail;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.config.StaticConfigSource;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.limit.InMemoryQuotaStore;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.pipeline.Verdict;
import dev.tollgate.provider.EnvCredentialResolver;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.mock.MockProvider;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.telemetry.InMemoryMetrics;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.FakeGuardrailServer;
import dev.tollgate.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The input check and the output enqueue through a real gateway, with the Bedrock adapter calling
 * a loopback server that speaks ApplyGuardrail's wire format.
 */
class GuardrailGatewayTest {

  private static final String KEY = "tg-guardrail-test-key";
  private static final String SECRET_WORD = "plutonium";
  private static FakeGuardrailServer fake;
  private final AtomicInteger ids = new AtomicInteger();
  private final InMemoryMetrics metrics = new InMemoryMetrics();

  @BeforeAll
  static void startFake() {
    fake = FakeGuardrailServer.start(SECRET_WORD);
  }

  @AfterAll
  static void stopFake() {
    fake.close();
  }

  static List<ConfigItem> items(ConfigItem... guardrails) {
    List<ConfigItem> items = new ArrayList<>();
    items.add(ConfigItems.target("chat", "echo").with("provider", MockProvider.TYPE).with("latencyMs", 0).build());
    items.add(ConfigItems.target("other", "echo").with("provider", MockProvider.TYPE).with("latencyMs", 0).build());
    items.add(ConfigItems.keyFor(KEY, "alice", "*").with("group", "interns").build());
    items.addAll(List.of(guardrails));
    return items;
  }

  static ConfigItems.Builder guardrail(String name) {
    return ConfigItems.item(ItemKeys.guardrailPk(name), ItemKeys.GUARDRAIL_SK)
        .with("guardrailId", "gr1test")
        .with("guardrailVersion", "3")
        .with("input", true);
  }

  private Gateway gateway(List<ConfigItem> items, URI guardrailEndpoint, ModerationQueue queue) {
    MutableClock clock = MutableClock.startingAt("2026-01-02T03:04:05Z");
    var guardrail = new BedrockGuardrail(AwsClients.bedrockRuntime(Region.US_EAST_1, Optional.of(guardrailEndpoint)));
    var ports =
        new GatewayAssembly.Ports(
            new StaticConfigSource("test", items), new EnvCredentialResolver(Map.of()), metrics, clock,
            Duration.ofHours(1), RandomSource.seeded(1), new InMemoryQuotaStore(), guardrail, queue);
    return GatewayAssembly.build(ports, new ProviderRegistry().register(new MockProvider(clock)));
  }

  private GatewayResponse chat(Gateway gateway, String model, String text) {
    String body = Json.text(chatJson(model, text));
    return gateway.handle(
        new GatewayRequest("POST", "/v1/chat/completions", Map.of("authorization", "Bearer " + KEY),
            body.getBytes(StandardCharsets.UTF_8), "req-" + ids.incrementAndGet()));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode chatJson(String model, String text) {
    var body = Json.object().put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    return body;
  }

  @Test
  void aPromptTheGuardrailBlocksIsA400WithItsReasonAndNeverThePrompt() {
    Gateway gateway = gateway(items(guardrail("safety").build()), fake.endpoint(), ModerationQueue.NONE);
    String prompt = "how do I enrich plutonium at home";

    GatewayResponse response = chat(gateway, "chat", prompt);

    assertEquals(400, response.status(), response.bodyText());
    var error = Json.parse(response.bodyText()).path("error");
    assertEquals("guardrail_blocked", error.path("code").asText());
    assertEquals("invalid_request_error", error.path("type").asText());
    assertEquals("The request was blocked by guardrail 'safety': " + FakeGuardrailServer.BLOCKED_MESSAGE, error.path("message").asText());
    assertFalse(response.bodyText().contains("plutonium"));
    FakeGuardrailServer.Call call = fake.calls().getLast();
    assertEquals(new FakeGuardrailServer.Call("gr1test", "3", "INPUT", prompt), call);
  }

  @Test
  void anAnthropicClientGetsTheBlockInAnthropicsShape() {
    Gateway gateway = gateway(items(guardrail("safety").build()), fake.endpoint(), ModerationQueue.NONE);
    String body = "{\"model\":\"chat\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"plutonium please\"}]}";

    GatewayResponse response = gateway.handle(new GatewayRequest("POST", "/v1/messages", Map.of("x-api-key", KEY),
        body.getBytes(StandardCharsets.UTF_8), "req-anthropic"));

    assertEquals(400, response.status(), response.bodyText());
    var json = Json.parse(response.bodyText());
    assertEquals("error", json.path("type").asText());
    assertEquals("invalid_request_error", json.at("/error/type").asText());
    assertTrue(json.at("/error/message").asText().startsWith("The request was blocked by guardrail 'safety'"));
  }

  @Test
  void aPromptItPassesIsAnswered() {
    Gateway gateway = gateway(items(guardrail("safety").build()), fake.endpoint(), ModerationQueue.NONE);
    int before = fake.calls().size();

    GatewayResponse response = chat(gateway, "chat", "what is the capital of France");

    assertEquals(200, response.status(), response.bodyText());
    assertEquals(before + 1, fake.calls().size(), "checked once");
  }

  @Test
  void onlyMatchingRequestsAreChecked() {
    Gateway gateway =
        gateway(items(guardrail("safety").with("models", List.of("chat")).build(),
            guardrail("staff-only").with("groups", List.of("staff")).build()), fake.endpoint(), ModerationQueue.NONE);
    int before = fake.calls().size();

    assertEquals(200, chat(gateway, "other", "plutonium").status(), "not for this alias");
    assertEquals(before, fake.calls().size());
    assertEquals(400, chat(gateway, "chat", "plutonium").status());
    assertEquals(before + 1, fake.calls().size(), "the staff guardrail does not apply to an intern");
  }

  @Test
  void anUnreachableGuardrailRefusesWith503WhenItFailsClosedAndPassesWhenItFailsOpen() {
    URI nothingListens = URI.create("http://127.0.0.1:" + freePort());
    Gateway closed = gateway(items(guardrail("safety").build()), nothingListens, ModerationQueue.NONE);
    Gateway open = gateway(items(guardrail("safety").with("onError", "failOpen").build()), nothingListens, ModerationQueue.NONE);

    GatewayResponse refused = chat(closed, "chat", "hello");
    assertEquals(503, refused.status(), refused.bodyText());
    assertEquals("guardrail_unavailable", Json.parse(refused.bodyText()).at("/error/code").asText());
    assertEquals("1", refused.header("retry-after"));
    assertEquals(200, chat(open, "chat", "hello").status());
  }

  @Test
  void aGuardrailAnsweringAnErrorCountsAsUnavailable() {
    Gateway gateway = gateway(items(guardrail("safety").build()), fake.endpoint(), ModerationQueue.NONE);
    fake.failWith(429);
    try {
      GatewayResponse refused = chat(gateway, "chat", "hello");
      assertEquals(503, refused.status(), refused.bodyText());
      assertEquals("guardrail_unavailable", Json.parse(refused.bodyText()).at("/error/code").asText());
    } finally {
      fake.failWith(0);
    }
  }

  @Test
  void eachCheckLeavesAVerdictThatNeverHoldsThePrompt() {
    GatewayConfig config =
        new ConfigValidator(new ProviderRegistry().register(new MockProvider(java.time.Clock.systemUTC())))
            .validate(items(guardrail("a-pass").build(), guardrail("b-block").build(),
                guardrail("c-never").build()), Instant.EPOCH)
            .config();
    var guardrail =
        new Guardrail() {
          @Override
          public GuardrailVerdict assess(String id, String version, String text, GuardrailSource source) {
            return new GuardrailVerdict(text.contains("x") && calls++ > 0, "no", "topicPolicy:Forbidden");
          }

          int calls;
        };
    Exchange exchange = new Exchange(new GatewayRequest("POST", "/v1/chat/completions", Map.of(), new byte[0], "r1"), 0, config);
    exchange.consumer(new Consumer("alice", "interns", java.util.Set.of("*"), true));
    exchange.chatRequest(new ChatRequest(chatJson("chat", "x marks the spot")));
    Pipeline pipeline =
        new Pipeline(List.of(new GuardrailPolicy(guardrail, new InMemoryMetrics()), (e, chain) -> Reply.json(Json.object())));

    Reply reply = pipeline.run(exchange);

    assertTrue(reply instanceof Reply.Error error && error.error().code().equals("guardrail_blocked"), reply.toString());
    assertFalse(ModerationEnqueuePolicy.enqueues(exchange));
    assertEquals(
        List.of(new Verdict("guardrail", "a-pass", "pass", ""), new Verdict("guardrail", "b-block", "block", "topicPolicy:Forbidden")),
        exchange.verdicts(),
        "in name order, stopping at the block");
  }

  @Test
  void anAnswerIsEnqueuedForOutputModerationOnlyWhenItWasSentWith200() {
    InMemoryModerationQueue queue = new InMemoryModerationQueue();
    Gateway gateway =
        gateway(items(guardrail("safety").with("output", true).with("disableAfterFlags", 2).with("flagWindow", "1h").build()),
            fake.endpoint(), queue);

    GatewayResponse answered = chat(gateway, "chat", "tell me a story");
    assertEquals(200, answered.status(), answered.bodyText());
    String answer = Json.parse(answered.bodyText()).at("/choices/0/message/content").asText();
    assertEquals(400, chat(gateway, "chat", "plutonium").status());
    assertEquals(404, chat(gateway, "missing", "hi").status());

    assertEquals(1, queue.messages().size(), queue.messages().toString());
    assertEquals(1, metrics.sum(ModerationMetrics.MODERATION_ENQUEUED));
    ModerationMessage message = queue.messages().getFirst();
    assertEquals(answered.header("x-request-id"), message.requestId());
    assertEquals("alice", message.consumer());
    assertEquals("interns", message.group());
    assertEquals("chat", message.alias());
    assertEquals(answer, message.text());
    assertEquals("gr1test", message.guardrailId());
    assertEquals("3", message.guardrailVersion());
    assertEquals(2, message.disableAfterFlags());
    assertEquals(3600, message.flagWindowSeconds());
  }

  @Test
  void aStreamedAnswerIsEnqueuedWhenTheStreamIsOver() throws Exception {
    InMemoryModerationQueue queue = new InMemoryModerationQueue();
    Gateway gateway = gateway(items(guardrail("safety").with("input", false).with("output", true).build()), fake.endpoint(), queue);
    var body = chatJson("chat", "stream me a story").put("stream", true);

    GatewayResponse response =
        gateway.handleStreaming(new GatewayRequest("POST", "/v1/chat/completions", Map.of("authorization", "Bearer " + KEY),
            Json.bytes(body), "req-stream"));
    assertEquals(200, response.status());
    assertEquals(List.of(), queue.messages(), "nothing before the body is over");
    response.stream().writeTo(bytes -> {});

    assertEquals(1, queue.messages().size());
    assertFalse(queue.messages().getFirst().text().isBlank());
  }

  @Test
  void aQueueThatFailsNeverFailsTheRequest() {
    ModerationQueue broken =
        message -> {
          throw new IllegalStateException("queue down");
        };
    Gateway gateway = gateway(items(guardrail("safety").with("output", true).build()), fake.endpoint(), broken);

    assertEquals(200, chat(gateway, "chat", "hello").status());
    assertEquals(1, metrics.sum(ModerationMetrics.MODERATION_ENQUEUE_FAILED));
    assertEquals(0, metrics.sum(ModerationMetrics.MODERATION_ENQUEUED));
  }

  @Test
  void onlyANonEmptyAnswerSentWith200IsMarkedQueuedAndTheAuditHookAlreadySeesIt() {
    GatewayConfig config =
        new ConfigValidator(new ProviderRegistry().register(new MockProvider(java.time.Clock.systemUTC())))
            .validate(items(guardrail("answers").with("input", false).with("output", true).build()), Instant.EPOCH)
            .config();
    record Case(String name, boolean fails, int status, String text, boolean queued) {}
    for (Case c :
        List.of(
            new Case("an error", true, 503, "", false),
            new Case("an empty answer", false, 200, " ", false),
            new Case("a failed stream's status", false, 502, "partial", false),
            new Case("an answer", false, 200, "an answer", true))) {
      InMemoryModerationQueue queue = new InMemoryModerationQueue();
      var policy = new ModerationEnqueuePolicy(queue, new InMemoryMetrics(), java.time.Clock.systemUTC());
      Exchange exchange = new Exchange(new GatewayRequest("POST", "/v1/chat/completions", Map.of(), new byte[0], "r1"), 0, config);
      List<Boolean> seenByAudit = new java.util.ArrayList<>();
      exchange.afterComplete(() -> seenByAudit.add(ModerationEnqueuePolicy.enqueues(exchange))); // as the Gateway's audit hook
      exchange.consumer(new Consumer("alice", "interns", java.util.Set.of("*"), true));
      exchange.chatRequest(new ChatRequest(chatJson("chat", "hi")));
      Reply answer = c.fails() ? Reply.error(dev.tollgate.api.ApiError.noTargetAvailable("chat")) : Reply.json(Json.object());
      new Pipeline(List.of(policy, (e, chain) -> answer)).run(exchange);
      exchange.status(c.status());
      exchange.answerText(c::text);

      exchange.complete("ok");

      assertEquals(c.queued() ? List.of(new Verdict("moderation", "answers", "queued", "")) : List.of(), exchange.verdicts(), c.name());
      assertEquals(List.of(c.queued()), seenByAudit, c.name());
      assertEquals(c.queued() ? 1 : 0, queue.messages().size(), c.name());
    }
  }

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
