package dev.tollgate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Concurrent callers for accuracy tests: each on its own virtual thread, all released together. */
public final class Race {

  private Race() {}

  /** What one caller does, given its number. */
  @FunctionalInterface
  public interface Caller {
    void run(int caller) throws Exception;
  }

  /** Runs {@code caller} on {@code callers} threads released at once; rethrows the first failure. */
  public static void run(int callers, Caller caller) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        int id = i;
        done.add(threads.submit(() -> {
          start.await();
          caller.run(id);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get();
      }
    }
  }
}
