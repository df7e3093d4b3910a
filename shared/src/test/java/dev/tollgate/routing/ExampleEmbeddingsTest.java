package dev.tollgate.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.embedding.EmbeddingUnavailableException;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.testing.HashingEmbedder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Example vectors across config loads: embedded once, kept by text, dropped when unused, retried after a failure. */
class ExampleEmbeddingsTest {

  private static RoutingRule rule(String name, String... examples) {
    return new RoutingRule(name, 0, "to", Set.of(), Set.of(), Map.of(), Map.of(), Optional.empty(), List.of(), 0,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(SemanticCondition.unembedded(List.of(examples), 0.5)));
  }

  @Test
  void unchangedExamplesAreNotEmbeddedAgainAndUnusedOnesAreDropped() {
    HashingEmbedder model = new HashingEmbedder();
    ExampleEmbeddings examples = new ExampleEmbeddings(model);

    List<RoutingRule> first = examples.embed(List.of(rule("a", "one", "two"), rule("b", "two", "three")));
    assertEquals(3, model.textsEmbedded(), "a text shared by two rules is embedded once");
    SemanticCondition a = first.getFirst().semantic().orElseThrow();
    assertEquals(Optional.empty(), a.unavailable());
    assertEquals(model.modelId(), a.modelId());
    assertEquals(2, a.vectors().size());

    examples.embed(List.of(rule("a", "one", "two"), rule("b", "two", "three")));
    assertEquals(3, model.textsEmbedded(), "a reload of the same rules embeds nothing");

    examples.embed(List.of(rule("a", "one", "four")));
    assertEquals(4, model.textsEmbedded(), "only the new example");
    assertEquals(2, examples.cached(), "two and three are no longer used");
  }

  @Test
  void aFailingModelLeavesTheConditionUnavailableAndTheNextLoadTriesAgain() {
    HashingEmbedder model = new HashingEmbedder();
    boolean[] down = {true};
    TextEmbedder flaky = new TextEmbedder() {
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
        if (down[0]) {
          throw new EmbeddingUnavailableException("throttled");
        }
        return model.embed(texts);
      }
    };
    ExampleEmbeddings examples = new ExampleEmbeddings(flaky);

    SemanticCondition failed = examples.embed(List.of(rule("a", "one"))).getFirst().semantic().orElseThrow();
    assertTrue(failed.unavailable().orElseThrow().contains("throttled"), failed.unavailable().toString());
    assertEquals(List.of(), failed.vectors());

    down[0] = false;
    SemanticCondition recovered = examples.embed(List.of(rule("a", "one"))).getFirst().semantic().orElseThrow();
    assertEquals(Optional.empty(), recovered.unavailable());
    assertEquals(1, model.textsEmbedded());
  }

  @Test
  void withoutAModelTheReasonSaysSo() {
    SemanticCondition none = new ExampleEmbeddings(TextEmbedder.NONE).embed(List.of(rule("a", "one"))).getFirst()
        .semantic().orElseThrow();
    assertTrue(none.unavailable().orElseThrow().contains("no embedding model is configured"), none.unavailable().toString());
  }

  @Test
  void rulesWithoutSemanticConditionsAreLeftAsTheyAre() {
    RoutingRule plain = new RoutingRule("p", 0, "to", Set.of(), Set.of(), Map.of(), Map.of(), Optional.empty(), List.of(), 0,
        Optional.empty(), Optional.empty(), Optional.empty());
    HashingEmbedder model = new HashingEmbedder();
    assertEquals(List.of(plain), new ExampleEmbeddings(model).embed(List.of(plain)));
    assertEquals(0, model.textsEmbedded());
  }
}
