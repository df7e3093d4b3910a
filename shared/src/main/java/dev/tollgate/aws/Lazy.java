package dev.tollgate.aws;

import java.util.function.Supplier;

/** A value made on first use, once, then kept: for SDK clients a configuration may never need. */
final class Lazy<T> implements Supplier<T> {

  private final Supplier<T> factory;
  private volatile T value;

  private Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  static <T> Supplier<T> of(Supplier<T> factory) {
    return factory instanceof Lazy<T> ? factory : new Lazy<>(factory);
  }

  @Override
  public T get() {
    T current = value;
    if (current == null) {
      synchronized (this) {
        current = value;
        if (current == null) {
          current = factory.get();
          value = current;
        }
      }
    }
    return current;
  }
}
