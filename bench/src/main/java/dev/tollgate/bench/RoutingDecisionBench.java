package dev.tollgate.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.Json;
import dev.tollgate.auth.Consumer;
import dev.tollgate.config.ConfigDocument;
import dev.tollgate.config.ConfigError;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ValidatedConfig;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.embedding.local.MiniLmEmbedder;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.Pipeline;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.provider.UpstreamHttp;
import dev.tollgate.routing.AttemptPlan;
import dev.tollgate.routing.RandomSource;
import dev.tollgate.routing.Route;
import dev.tollgate.routing.RoutingRulePolicy;
import dev.tollgate.routing.Target;
import dev.tollgate.routing.WeightedSelector;
import dev.tollgate.telemetry.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's routing decision for one chat request, in process: {@link RoutingRulePolicy} over
 * 10 rules of mixed kinds (groups, headers, metadata, regex, keywords, minPromptTokens, hasCode,
 * hasImages, hasTools; only the 10th matches) and then the pick of one of the chosen alias's 10
 * targets (two priority tiers, weighted) by an {@link AttemptPlan}. Each request is timed alone
 * with {@code System.nanoTime()} after a warm-up; building the request object is not timed.
 * Scenarios: (a) those 10 rules; (b) the 10th rule semantic (14 examples, MiniLM vectors) with the
 * request's embedding computed beforehand, so only the comparison is timed; (c) as (b) with the
 * request embedded by the in-process MiniLM model inside the timed section, as a dev server does.
 * Prints a markdown table. Options: {@code --warmup 50000 --requests 200000 --model-warmup 50
 * --model-requests 500}.
 */
public final class RoutingDecisionBench {

  private static final List<String> CODE_EXAMPLES = List.of(
      "Write a Python function that reverses a linked list",
      "Fix this Java method, it throws a NullPointerException",
      "How do I write a SQL query that joins two tables and groups by customer?",
      "Refactor this JavaScript code to use async/await",
      "Why does my Rust code not compile? The borrow checker complains",
      "Write a unit test for this function",
      "Write a bash script that backs up a directory",
      "Implement quicksort in C++",
      "Write a Go program that reads a file line by line",
      "How do I parse JSON in Java?",
      "Debug this code: the loop never terminates",
      "Write a regular expression that matches email addresses",
      "Explain what this Python code does",
      "Convert this function from JavaScript to TypeScript");
  private static final List<String> PROMPTS = List.of(
      "implement binary search in Go and explain its complexity in a few sentences",
      "my typescript build fails with a type error in the reducer, how do I fix it",
      "write a function in python to check whether a number is prime",
      "what does this error mean: undefined is not a function");
  private static final Consumer CONSUMER = new Consumer("bench", "default", Set.of("*"), true);

  private record Scenario(String label, GatewayConfig config, TextEmbedder embedder, int warmup, int requests) {}

  private RoutingDecisionBench() {}

  public static void main(String[] argv) {
    Args args = Args.parse(argv);
    MiniLmEmbedder miniLm = new MiniLmEmbedder();
    TextEmbedder precomputed = Precomputed.of(miniLm, PROMPTS);
    int warmup = args.integer("warmup", 50_000);
    int requests = args.integer("requests", 200_000);
    List<Scenario> scenarios = List.of(
        new Scenario("(a) 10 rules, the 10th matches", config(false, TextEmbedder.NONE), TextEmbedder.NONE, warmup, requests),
        new Scenario("(b) 9 rules + a semantic 10th (14 examples), request embedding excluded", config(true, precomputed),
            precomputed, warmup, requests),
        new Scenario("(c) as (b), request embedded by MiniLM in process (included)", config(true, miniLm), miniLm,
            args.integer("model-warmup", 50), args.integer("model-requests", 500)));
    StringBuilder table = new StringBuilder();
    table.append("### Routing decision: rules + target pick per request (microseconds, in process)\n\n");
    table.append("| Scenario | Requests timed | p50 | p90 | p99 | p99.9 | max |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (Scenario scenario : scenarios) {
      long[] nanos = run(scenario);
      Arrays.sort(nanos);
      table.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s |%n", scenario.label(), nanos.length,
          micros(nanos, 0.50), micros(nanos, 0.90), micros(nanos, 0.99), micros(nanos, 0.999),
          micros(nanos, 1.0)));
    }
    table.append("\nMiniLM: all-MiniLM-L6-v2 (quantized) through ONNX Runtime; 4 prompts of 12 to 16 words in turn.\n\n");
    System.out.print(table);
  }

  private static long[] run(Scenario scenario) {
    Pipeline pipeline = new Pipeline(List.of(new RoutingRulePolicy(scenario.embedder(), Metrics.NONE), new Pick()));
    List<ObjectNode> bodies = PROMPTS.stream().map(RoutingDecisionBench::body).toList();
    Map<String, String> headers = Map.of("content-type", "application/json", "x-client", "bench");
    for (int i = 0; i < scenario.warmup(); i++) {
      decide(pipeline, scenario.config(), bodies.get(i % bodies.size()), headers);
    }
    long[] nanos = new long[scenario.requests()];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = decide(pipeline, scenario.config(), bodies.get(i % bodies.size()), headers);
    }
    progress(scenario.label() + ": " + Pick.picked);
    Pick.picked.clear();
    return nanos;
  }

  /** One request's decision time; fails if the 10th rule did not pick {@code coder}. */
  private static long decide(Pipeline pipeline, GatewayConfig config, ObjectNode body, Map<String, String> headers) {
    GatewayRequest request = new GatewayRequest("POST", "/v1/chat/completions", headers, new byte[0], "bench");
    Exchange exchange = new Exchange(request, System.nanoTime(), config);
    exchange.consumer(CONSUMER);
    exchange.chatRequest(new ChatRequest(body.deepCopy()));
    long start = System.nanoTime();
    pipeline.run(exchange);
    long elapsed = System.nanoTime() - start;
    if (!exchange.chatRequest().model().equals("coder")) {
      throw new IllegalStateException("routed to " + exchange.chatRequest().model() + ", expected coder");
    }
    return elapsed;
  }

  /** The end of the timed pipeline: the chosen alias's route and one target from its attempt plan. */
  private static final class Pick implements Policy {
    static final Map<String, Integer> picked = new HashMap<>();
    private final WeightedSelector selector = new WeightedSelector(RandomSource.seeded(11));
    private static final Reply DONE = Reply.json(Json.object());

    @Override
    public Reply apply(Exchange exchange, dev.tollgate.pipeline.PolicyChain chain) {
      Route route = exchange.config().route(exchange.chatRequest().model()).orElseThrow();
      Target target = new AttemptPlan(route, selector).next().orElseThrow();
      picked.merge(target.id(), 1, Integer::sum);
      return DONE;
    }
  }

  private static ObjectNode body(String prompt) {
    ObjectNode body = Json.object().put("model", "auto").put("max_tokens", 200);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a helpful assistant. Answer briefly.");
    messages.addObject().put("role", "user").put("content", prompt);
    return body;
  }

  /** Ten rules (the 10th semantic when asked) and ten targets on the alias the 10th routes to. */
  private static GatewayConfig config(boolean semantic, TextEmbedder embedder) {
    ObjectNode root = Json.object();
    ObjectNode models = root.putObject("models");
    ArrayNode coder = models.putObject("coder").putArray("targets");
    for (int i = 0; i < 10; i++) {
      coder.addObject().put("id", "coder-" + i).put("provider", "mock").put("weight", 10 + 10 * i).put("priority", i < 5 ? 0 : 1);
    }
    models.putObject("other").putArray("targets").addObject().put("id", "other-0").put("provider", "mock");
    ObjectNode rules = root.putObject("rules");
    rule(rules, "01-free-tier", 1).putArray("groups").add("free");
    rule(rules, "02-team-header", 2).putObject("headers").put("x-team", "^legal$");
    rule(rules, "03-metadata", 3).putObject("metadata").put("task", "^(contract|review)$");
    rule(rules, "04-stack-traces", 4).put("pattern", "(?i)(stack ?trace|traceback \\(most recent call last\\))");
    ArrayNode keywords = rule(rules, "05-keywords", 5).putArray("keywords");
    List.of("invoice", "contract clause", "legal review", "gdpr").forEach(keywords::add);
    rule(rules, "06-long-documents", 6).put("minPromptTokens", 8000);
    rule(rules, "07-fenced-code", 7).put("hasCode", true);
    rule(rules, "08-images", 8).put("hasImages", true);
    rule(rules, "09-tools", 9).put("hasTools", true);
    ObjectNode tenth = rules.putObject("10-auto").put("order", 10).put("to", "coder");
    tenth.putArray("models").add("auto");
    if (semantic) {
      ObjectNode condition = tenth.putObject("semantic").put("threshold", 0.3);
      ArrayNode examples = condition.putArray("examples");
      CODE_EXAMPLES.forEach(examples::add);
    }
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(root, errors);
    ValidatedConfig validated =
        new ConfigValidator(GatewayAssembly.standardProviders(new UpstreamHttp(), Clock.systemUTC()), embedder)
            .validate(items, Instant.now());
    errors.addAll(validated.errors());
    if (!errors.isEmpty()) {
      throw new IllegalStateException("bench config: " + errors);
    }
    return validated.config();
  }

  private static ObjectNode rule(ObjectNode rules, String name, int order) {
    return rules.putObject(name).put("order", order).put("to", "other");
  }

  private static String micros(long[] sorted, double quantile) {
    int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
    double micros = sorted[index] / 1000.0;
    return String.format(Locale.ROOT, micros < 10 ? "%.2f" : micros < 1000 ? "%.1f" : "%,.0f", micros);
  }

  private static void progress(String line) {
    System.err.println(line);
  }

  /** MiniLM's vectors for the prompts, computed once: scenario (b) times the comparison, not the model. */
  private record Precomputed(Map<String, float[]> vectors, MiniLmEmbedder model) implements TextEmbedder {

    static Precomputed of(MiniLmEmbedder model, List<String> prompts) {
      Map<String, float[]> vectors = new HashMap<>();
      for (String prompt : prompts) {
        vectors.put(prompt, model.embed(prompt));
      }
      return new Precomputed(vectors, model);
    }

    @Override
    public String modelId() {
      return model.modelId();
    }

    @Override
    public int dimensions() {
      return model.dimensions();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      // Examples (at config load) go to the model; request texts were embedded beforehand.
      return texts.stream().map(text -> vectors.containsKey(text) ? vectors.get(text) : model.embed(text)).toList();
    }
  }
}
