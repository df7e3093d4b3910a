package dev.tollgate.pipeline;

/**
 * One step of the request pipeline. It either answers (an error, a cached reply, the upstream's
 * answer) or calls {@link PolicyChain#proceed} exactly once and may look at what came back.
 */
@FunctionalInterface
public interface Policy {

  Reply apply(Exchange exchange, PolicyChain chain);
}
