package dev.tollgate.limit;

import dev.tollgate.auth.Consumer;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import dev.tollgate.telemetry.Metrics;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * The limit step of the pipeline, after routing and before the upstream call: finds the limit
 * policies that count this request and hands failover a {@link QuotaGate} that reserves before
 * each attempt; once the body is over (a stream's end included) the gate settles. A request no
 * policy counts passes untouched, with no store call.
 */
public final class QuotaPolicy implements Policy {

  /** What every gate of this gateway shares: the stores, the clock, the metrics and the prices. */
  static final class Context {
    private final QuotaReserver reserver;
    private final InstantSource clock;
    private final Metrics metrics;
    /** The calculator for the newest config's price table: built once per config snapshot, not per request. */
    private volatile PricedSnapshot priced = new PricedSnapshot(Map.of(), new CostCalculator(Map.of()));

    private record PricedSnapshot(Map<String, ModelPrice> prices, CostCalculator costs) {}

    Context(QuotaReserver reserver, InstantSource clock, Metrics metrics) {
      this.reserver = reserver;
      this.clock = clock;
      this.metrics = metrics;
    }

    QuotaReserver reserver() {
      return reserver;
    }

    InstantSource clock() {
      return clock;
    }

    Metrics metrics() {
      return metrics;
    }

    /** The cost of calls under {@code exchange}'s config: target prices, then its price table. */
    CostCalculator costs(Exchange exchange) {
      Map<String, ModelPrice> prices = exchange.config().prices();
      PricedSnapshot current = priced;
      if (current.prices() != prices) {
        current = new PricedSnapshot(prices, new CostCalculator(prices));
        priced = current;
      }
      return current.costs();
    }
  }

  private final Context context;

  /**
   * @param cluster the store shared by every instance (DynamoDB), for {@code mode: cluster}
   * @param local this instance's memory, for {@code mode: local}
   */
  public QuotaPolicy(QuotaStore cluster, QuotaStore local, InstantSource clock, Metrics metrics) {
    this.context = new Context(new QuotaReserver(cluster, local, metrics), clock, metrics);
  }

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    List<LimitPolicy> policies = matching(exchange.config(), exchange);
    if (policies.isEmpty()) {
      return chain.proceed(exchange);
    }
    QuotaGate gate = new QuotaGate(policies, exchange, context);
    exchange.admission(gate);
    exchange.whenComplete(gate::complete);
    Reply reply = chain.proceed(exchange);
    return switch (reply) {
      case Reply.Stream stream -> new Reply.Stream(gate.streamed(stream.chunks()), stream.includeUsage());
      case Reply.Completion completion -> {
        gate.answered(completion.completion());
        yield completion;
      }
      default -> reply;
    };
  }

  /** The policies whose filters take this request's alias, consumer and group (targets are checked per attempt). */
  static List<LimitPolicy> matching(GatewayConfig config, Exchange exchange) {
    if (config.limits().isEmpty()) {
      return List.of();
    }
    String alias = exchange.route().alias();
    Consumer consumer = exchange.consumer().orElseThrow();
    return config.limits().stream()
        .filter(p -> p.match().models().isEmpty() || p.match().models().contains(alias))
        .filter(p -> p.match().groups().isEmpty() || p.match().groups().contains(consumer.group()))
        .filter(p -> p.match().consumers().isEmpty() || p.match().consumers().contains(consumer.name()))
        .toList();
  }
}
