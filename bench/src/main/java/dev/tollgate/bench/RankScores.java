package dev.tollgate.bench;

import java.util.List;
import java.util.Set;

/**
 * Recall at 1 and 5 and mean reciprocal rank over questions, from the rank (1-based; 0: not in the
 * retrieved list) at which each question's first answering document appeared.
 */
final class RankScores {

  private int questions;
  private int atOne;
  private int atFive;
  private double reciprocalRanks;

  /** The 1-based rank of the first retrieved document in {@code answers}, or 0 if none is. */
  static int firstHit(List<String> retrievedDocuments, Set<String> answers) {
    for (int i = 0; i < retrievedDocuments.size(); i++) {
      if (answers.contains(retrievedDocuments.get(i))) {
        return i + 1;
      }
    }
    return 0;
  }

  void add(int rank) {
    questions++;
    if (rank == 1) {
      atOne++;
    }
    if (rank >= 1 && rank <= 5) {
      atFive++;
    }
    if (rank >= 1) {
      reciprocalRanks += 1.0 / rank;
    }
  }

  double recallAt1() {
    return questions == 0 ? Double.NaN : (double) atOne / questions;
  }

  double recallAt5() {
    return questions == 0 ? Double.NaN : (double) atFive / questions;
  }

  /** Mean reciprocal rank, counting a question not found in the list as 0. */
  double mrr() {
    return questions == 0 ? Double.NaN : reciprocalRanks / questions;
  }

  int found() {
    return atFive;
  }

  int questions() {
    return questions;
  }
}
