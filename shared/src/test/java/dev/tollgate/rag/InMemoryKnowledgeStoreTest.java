package dev.tollgate.rag;

class InMemoryKnowledgeStoreTest extends KnowledgeStoreContract {

  @Override
  protected KnowledgeStore newStore() {
    return new InMemoryKnowledgeStore();
  }
}
