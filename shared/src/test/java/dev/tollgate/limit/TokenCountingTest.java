package dev.tollgate.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Counts match tiktoken's published ones, and each model name gets its family's encoding. The
 * expected counts are those printed in OpenAI's cookbook "How to count tokens with tiktoken"
 * (section 5, "Comparing encodings" and section 3), not computed here.
 */
class TokenCountingTest {

  @ParameterizedTest(name = "cl100k_base: \"{0}\" is {1} tokens")
  @CsvSource(
      delimiter = '|',
      value = {
        "tiktoken is great!|6",
        "antidisestablishmentarianism|6",
        "2 + 2 = 4|7",
        "お誕生日おめでとう|9"
      })
  void cl100kCountsMatchTheCookbook(String text, int tokens) {
    assertEquals(tokens, TokenCounting.CL100K_BASE.tokens(text));
  }

  @ParameterizedTest(name = "o200k_base: \"{0}\" is {1} tokens")
  @CsvSource(
      delimiter = '|',
      value = {"antidisestablishmentarianism|6", "2 + 2 = 4|7", "お誕生日おめでとう|8"})
  void o200kCountsMatchTheCookbook(String text, int tokens) {
    assertEquals(tokens, TokenCounting.O200K_BASE.tokens(text));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "gpt-4o, O200K_BASE",
    "gpt-4o-mini-2024-07-18, O200K_BASE",
    "chatgpt-4o-latest, O200K_BASE",
    "gpt-4.1-nano, O200K_BASE",
    "gpt-5, O200K_BASE",
    "o1-mini, O200K_BASE",
    "o3, O200K_BASE",
    "o4-mini, O200K_BASE",
    "gpt-4, CL100K_BASE",
    "gpt-4-0613, CL100K_BASE",
    "gpt-4-turbo, CL100K_BASE",
    "gpt-3.5-turbo, CL100K_BASE",
    "gpt-35-turbo, CL100K_BASE",
    "text-embedding-3-small, CL100K_BASE",
    "openai/gpt-4, CL100K_BASE",
    "claude-sonnet-4-20250514, APPROXIMATE",
    "anthropic.claude-3-5-haiku-20241022-v1:0, APPROXIMATE",
    "us.anthropic.claude-sonnet-4-20250514-v1:0, APPROXIMATE",
    "gemini-2.5-flash, APPROXIMATE",
    "amazon.titan-embed-text-v2:0, APPROXIMATE",
    "meta.llama3-1-70b-instruct-v1:0, APPROXIMATE",
    "mistral-large-latest, APPROXIMATE",
    "deepseek-chat, APPROXIMATE",
    "my-fine-tuned-model, O200K_BASE",
    "'', O200K_BASE"
  })
  void modelsMapToTheirFamilysCounting(String model, TokenCounting expected) {
    assertEquals(expected, TokenCounting.forModel(model));
  }

  @Test
  void specialTokenTextInAPromptCountsAsOrdinaryText() {
    // A client can send "<|endoftext|>" as text; it must be counted, never rejected or read as one token.
    assertTrue(TokenCounting.O200K_BASE.tokens("<|endoftext|>") > 1);
    assertTrue(TokenCounting.CL100K_BASE.tokens("<|endoftext|>") > 1);
  }

  @Test
  void emptyTextIsNoTokens() {
    assertEquals(0, TokenCounting.O200K_BASE.tokens(""));
  }

  @Test
  void theApproximationAddsTwentyPercentRoundedUp() {
    assertEquals(120, TokenCounting.APPROXIMATE.scale(100));
    assertEquals(2, TokenCounting.APPROXIMATE.scale(1));
    assertEquals(155, TokenCounting.APPROXIMATE.scale(129));
    assertEquals(129, TokenCounting.CL100K_BASE.scale(129));
    assertEquals(129, TokenCounting.O200K_BASE.scale(129));
  }
}
