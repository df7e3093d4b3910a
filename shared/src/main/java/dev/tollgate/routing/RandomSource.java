package dev.tollgate.routing;

import java.security.SecureRandom;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The randomness behind weighted selection. It can be reseeded: instances restored from one
 * SnapStart snapshot would otherwise all draw the same sequence and send traffic in lockstep.
 */
public final class RandomSource {

  private volatile RandomGenerator generator;

  private RandomSource(RandomGenerator generator) {
    this.generator = generator;
  }

  /** Thread-safe, seeded from the operating system. */
  public static RandomSource secureSeeded() {
    return new RandomSource(new Random(new SecureRandom().nextLong()));
  }

  /** Repeatable draws for tests. */
  public static RandomSource seeded(long seed) {
    return new RandomSource(new Random(seed));
  }

  public RandomGenerator generator() {
    return generator;
  }

  public void reseed() {
    generator = new Random(new SecureRandom().nextLong());
  }
}
