package dev.tollgate.limit;

/** The store contract for {@link InMemoryQuotaStore}. */
class InMemoryQuotaStoreTest extends QuotaStoreContract {

  @Override
  protected QuotaStore newStore() {
    return new InMemoryQuotaStore();
  }
}
