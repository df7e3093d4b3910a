package dev.tollgate.pipeline;

import java.util.List;

/** An ordered list of policies, run front to back; the last one must answer. */
public final class Pipeline {

  private final List<Policy> policies;

  public Pipeline(List<Policy> policies) {
    if (policies.isEmpty()) {
      throw new IllegalArgumentException("a pipeline needs at least one policy");
    }
    this.policies = List.copyOf(policies);
  }

  public Reply run(Exchange exchange) {
    return new PolicyChain(policies, 0).proceed(exchange);
  }

  public List<Policy> policies() {
    return policies;
  }
}
