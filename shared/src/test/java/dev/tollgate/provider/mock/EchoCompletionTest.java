package dev.tollgate.provider.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.Json;
import org.junit.jupiter.api.Test;

/** The mock model's deterministic answer. */
class EchoCompletionTest {

  private static ChatRequest request(String singleQuoted) {
    return ChatRequestValidator.validate(Json.parse(singleQuoted.replace('\'', '"')));
  }

  private static JsonNode answer(ChatRequest request) {
    return EchoCompletion.of(request, "mock-echo", "chatcmpl-7", 1_700_000_000L);
  }

  @Test
  void echoesTheLastUserMessage() {
    JsonNode completion =
        answer(
            request(
                "{'model':'m','messages':[{'role':'system','content':'be kind'},{'role':'user','content':'first'},"
                    + "{'role':'assistant','content':'ok'},{'role':'user','content':'second question'}]}"));

    assertEquals("second question", completion.path("choices").get(0).path("message").path("content").asText());
    assertEquals("assistant", completion.path("choices").get(0).path("message").path("role").asText());
    assertEquals("stop", completion.path("choices").get(0).path("finish_reason").asText());
    assertEquals("chat.completion", completion.path("object").asText());
    assertEquals("chatcmpl-7", completion.path("id").asText());
    assertEquals("mock-echo", completion.path("model").asText());
    assertEquals(1_700_000_000L, completion.path("created").asLong());
  }

  @Test
  void joinsTheTextPartsOfTheLastUserMessage() {
    JsonNode completion =
        answer(
            request(
                "{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':'look at'},"
                    + "{'type':'image_url','image_url':{'url':'https://x/y.png'}},{'type':'text','text':'this'}]}]}"));

    assertEquals("look at\nthis", completion.path("choices").get(0).path("message").path("content").asText());
  }

  @Test
  void maxTokensCutsTheAnswerAndSaysSo() {
    String text = "abcdefghijklmnopqrstuvwxyz0123456789"; // 36 characters, 9 tokens
    JsonNode completion = answer(request("{'model':'m','max_tokens':3,'messages':[{'role':'user','content':'" + text + "'}]}"));

    assertEquals(text.substring(0, 12), completion.path("choices").get(0).path("message").path("content").asText());
    assertEquals("length", completion.path("choices").get(0).path("finish_reason").asText());
    assertEquals(3, completion.path("usage").path("completion_tokens").asLong());
  }

  @Test
  void anAnswerThatFitsIsNotCut() {
    JsonNode completion =
        answer(request("{'model':'m','max_completion_tokens':3,'messages':[{'role':'user','content':'abcdefghijkl'}]}"));

    assertEquals("abcdefghijkl", completion.path("choices").get(0).path("message").path("content").asText());
    assertEquals("stop", completion.path("choices").get(0).path("finish_reason").asText());
  }

  @Test
  void usageAddsUp() {
    JsonNode usage =
        answer(
                request(
                    "{'model':'m','messages':[{'role':'system','content':'12345678'},{'role':'user','content':'hello world!'}]}"))
            .path("usage");

    long prompt = usage.path("prompt_tokens").asLong();
    long completion = usage.path("completion_tokens").asLong();
    assertEquals((3 + 2) + (3 + 3), prompt, "three per message plus a token per four characters");
    assertEquals(3, completion);
    assertEquals(prompt + completion, usage.path("total_tokens").asLong());
  }

  @Test
  void tokensAreEstimatedAtFourCharactersRoundedUp() {
    assertEquals(0, EchoCompletion.estimateTokens(""));
    assertEquals(1, EchoCompletion.estimateTokens("a"));
    assertEquals(1, EchoCompletion.estimateTokens("abcd"));
    assertEquals(2, EchoCompletion.estimateTokens("abcde"));
  }
}
