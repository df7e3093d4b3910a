package dev.tollgate.prompt;

import static dev.tollgate.prompt.PromptPipeline.user;
import static dev.tollgate.testing.ConfigItems.decorator;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.pipeline.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decorators put their messages around the request's, in name order, for their models and groups only. */
class PromptDecoratorPolicyTest {

  private static Map<String, String> message(String role, String content) {
    return Map.of("role", role, "content", content);
  }

  @Test
  void prependedAndAppendedMessagesGoAroundTheRequestsInDecoratorNameOrder() {
    PromptPipeline pipeline =
        new PromptPipeline(
            decorator("b-style")
                .with("prepend", List.of(message("system", "b1")))
                .with("append", List.of(message("user", "b2")))
                .build(),
            decorator("a-policy")
                .with("prepend", List.of(message("system", "a1"), message("developer", "a1b")))
                .with("append", List.of(message("assistant", "a2")))
                .build());

    PromptPipeline.Run run = pipeline.run(user("question"));

    assertEquals(
        "[{'role':'system','content':'a1'},{'role':'developer','content':'a1b'},{'role':'system','content':'b1'},"
            .replace('\'', '"')
            + "{\"role\":\"user\",\"content\":\"question\"},"
            + "{'role':'assistant','content':'a2'},{'role':'user','content':'b2'}]".replace('\'', '"'),
        run.messages());
    assertEquals(
        List.of(new Verdict("decorator", "a-policy", "apply", "prepend 2, append 1"),
            new Verdict("decorator", "b-style", "apply", "prepend 1, append 1")),
        run.verdicts());
  }

  @Test
  void aDecoratorAppliesOnlyToItsModelsAndGroups() {
    PromptPipeline pipeline =
        new PromptPipeline(
            decorator("for-other").with("prepend", List.of(message("system", "x"))).with("models", List.of("other")).build(),
            decorator("for-team").with("append", List.of(message("user", "y"))).with("groups", List.of("team")).build());

    assertEquals("[{\"role\":\"user\",\"content\":\"q\"}]", pipeline.run("default", user("q")).messages());
    assertEquals(
        "[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"user\",\"content\":\"y\"}]",
        pipeline.run("team", user("q")).messages());
  }

  @Test
  void theRestOfTheBodyIsLeftAlone() {
    PromptPipeline pipeline = new PromptPipeline(decorator("d").with("prepend", List.of(message("system", "s"))).build());

    PromptPipeline.Run run =
        pipeline.run("{'model': 'chat', 'temperature': 0.5, 'user': 'u1', 'messages': [{'role': 'user', 'content': 'q'}]}");

    assertEquals(0.5, run.sent().get("temperature").asDouble());
    assertEquals("u1", run.sent().get("user").asText());
  }
}
