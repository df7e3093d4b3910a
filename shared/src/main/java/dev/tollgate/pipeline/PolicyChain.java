package dev.tollgate.pipeline;

import java.util.List;

/** The rest of the pipeline after the current policy. */
public final class PolicyChain {

  private final List<Policy> policies;
  private final int position;

  PolicyChain(List<Policy> policies, int position) {
    this.policies = policies;
    this.position = position;
  }

  public Reply proceed(Exchange exchange) {
    if (position >= policies.size()) {
      throw new IllegalStateException("the last policy of a pipeline must answer, not proceed");
    }
    return policies.get(position).apply(exchange, new PolicyChain(policies, position + 1));
  }
}
