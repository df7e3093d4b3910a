package dev.tollgate.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.MessageText;
import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.limit.TokenEstimator;
import dev.tollgate.pipeline.GatewayRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * What routing rules look at in one chat request. Each feature is worked out on first use, so a
 * request only pays for the ones its rules ask about (counting tokens, above all). Prompt text
 * features read the last user message; code and images are looked for in every message, since an
 * earlier image or code block is still part of what the model must handle.
 */
public final class RequestFeatures {

  private static final TokenEstimator ESTIMATOR = new TokenEstimator(1); // only prompt tokens are read
  private static final String FENCE = "```";

  private final GatewayRequest http;
  private final ChatRequest chat;
  private final String group;
  private final TextEmbedder embedder;
  private String lastUserText;
  private PromptEmbedding promptEmbedding;
  private String lastUserTextLowerCase;
  private long promptTokens = -1;
  private Boolean hasCode;
  private Boolean hasImages;

  /**
   * The last user message's embedding: {@code vector} is null when there is no user text (nothing
   * to compare, not a failure); {@code failure} says why the model gave none.
   */
  public record PromptEmbedding(String modelId, float[] vector, Optional<String> failure) {}

  /** Features of a request whose rules have no semantic condition to embed for. */
  public RequestFeatures(GatewayRequest http, ChatRequest chat, String group) {
    this(http, chat, group, TextEmbedder.NONE);
  }

  public RequestFeatures(GatewayRequest http, ChatRequest chat, String group, TextEmbedder embedder) {
    this.http = http;
    this.chat = chat;
    this.group = group;
    this.embedder = embedder;
  }

  public String model() {
    return chat.model();
  }

  public String group() {
    return group;
  }

  public Optional<String> header(String name) {
    return http.header(name);
  }

  /** A value of the request's {@code metadata} object: a string as it is, another scalar as its text. */
  public Optional<String> metadata(String key) {
    JsonNode value = chat.body().path("metadata").get(key);
    if (value == null || value.isNull() || value.isContainerNode()) {
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  public String lastUserText() {
    if (lastUserText == null) {
      lastUserText = chat.lastUserText();
    }
    return lastUserText;
  }

  public String lastUserTextLowerCase() {
    if (lastUserTextLowerCase == null) {
      lastUserTextLowerCase = lastUserText().toLowerCase(Locale.ROOT);
    }
    return lastUserTextLowerCase;
  }

  /**
   * The last user message embedded, at most once per request however many semantic rules ask; a
   * failing model is asked once too, and every semantic condition then sees its failure.
   */
  public PromptEmbedding promptEmbedding() {
    if (promptEmbedding == null) {
      promptEmbedding = embedPrompt();
    }
    return promptEmbedding;
  }

  private PromptEmbedding embedPrompt() {
    String text = lastUserText();
    if (text.isBlank()) {
      return new PromptEmbedding(embedder.modelId(), null, Optional.empty());
    }
    try {
      return new PromptEmbedding(embedder.modelId(), embedder.embed(text), Optional.empty());
    } catch (RuntimeException e) { // an unreachable or refusing model costs the rule, never the request
      return new PromptEmbedding(embedder.modelId(), null, Optional.of(failure(e)));
    }
  }

  private static String failure(RuntimeException e) {
    String message = "embedding failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    return message.length() > 200 ? message.substring(0, 197) + "..." : message;
  }

  /** The estimated prompt tokens, as the limits estimate them for the alias the client named. */
  public long promptTokens() {
    if (promptTokens < 0) {
      promptTokens = ESTIMATOR.promptTokens(chat);
    }
    return promptTokens;
  }

  /** Whether any message's text holds a fenced code block (a line of three backticks). */
  public boolean hasCode() {
    if (hasCode == null) {
      hasCode = false;
      for (JsonNode message : chat.body().path("messages")) {
        if (MessageText.of(message.get("content")).contains(FENCE)) {
          hasCode = true;
          break;
        }
      }
    }
    return hasCode;
  }

  /** Whether any message has an image part. */
  public boolean hasImages() {
    if (hasImages == null) {
      hasImages = false;
      for (JsonNode message : chat.body().path("messages")) {
        for (JsonNode part : message.path("content")) {
          String type = part.path("type").asText();
          if (type.equals("image_url") || type.equals("image")) {
            hasImages = true;
            return true;
          }
        }
      }
    }
    return hasImages;
  }

  /** Whether the request offers tools (or the deprecated functions). */
  public boolean hasTools() {
    return nonEmpty(chat.body().get("tools")) || nonEmpty(chat.body().get("functions"));
  }

  private static boolean nonEmpty(JsonNode list) {
    return list != null && list.isArray() && !list.isEmpty();
  }
}
