package dev.tollgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The retrieval evaluation set of bench/rag-eval: a corpus directory and questions, each naming the
 * documents (paths relative to the corpus, with '/') that answer it.
 */
record EvalSet(Path corpus, List<Question> questions) {

  /** One question and the documents whose chunks count as a hit. */
  record Question(String id, String text, Set<String> answers) {}

  EvalSet {
    questions = List.copyOf(questions);
  }

  /** Reads {@code questions.json} in {@code directory}; its "corpus" field names the corpus directory. */
  static EvalSet load(Path directory) {
    try {
      JsonNode root = new ObjectMapper().readTree(directory.resolve("questions.json").toFile());
      List<Question> questions = new ArrayList<>();
      for (JsonNode q : root.path("questions")) {
        List<String> answers = new ArrayList<>();
        answers.add(q.path("document").asText());
        q.path("alsoAccepted").forEach(a -> answers.add(a.asText()));
        questions.add(new Question(q.path("id").asText(), q.path("question").asText(), Set.copyOf(answers)));
      }
      return new EvalSet(directory.resolve(root.path("corpus").asText("corpus")), questions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + directory.resolve("questions.json"), e);
    }
  }

  /** Every file of the corpus, as paths relative to it with '/', sorted. */
  List<String> documents() {
    try (Stream<Path> files = Files.walk(corpus)) {
      return files.filter(Files::isRegularFile)
          .map(f -> corpus.relativize(f).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + corpus, e);
    }
  }
}
