package dev.tollgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recall and MRR arithmetic RagEval reports. */
class RankScoresTest {

  @Test
  void firstHitIsTheRankOfTheFirstAnsweringDocumentAndZeroWhenNoneIs() {
    List<String> retrieved = List.of("a.md", "b.md", "a.md", "c.md");
    assertEquals(1, RankScores.firstHit(retrieved, Set.of("a.md")));
    assertEquals(2, RankScores.firstHit(retrieved, Set.of("c.md", "b.md")));
    assertEquals(0, RankScores.firstHit(retrieved, Set.of("d.md")));
  }

  @Test
  void recallAtOneAndFiveAndMeanReciprocalRank() {
    RankScores scores = new RankScores();
    scores.add(1);
    scores.add(2);
    scores.add(5);
    scores.add(0);
    assertEquals(0.25, scores.recallAt1());
    assertEquals(0.75, scores.recallAt5());
    assertEquals((1 + 0.5 + 0.2) / 4, scores.mrr(), 1e-12);
    assertEquals(3, scores.found());
  }
}
