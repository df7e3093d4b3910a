package dev.tollgate.provider.contract;

import java.util.List;

/**
 * How one provider says each answer the contract needs, byte for byte as the provider sends it
 * (JSON bodies, SSE frames with their {@code event:} lines, or binary event-stream frames).
 * Token counts are given in OpenAI's terms: {@code promptTokens} includes {@code cachedTokens};
 * a script whose provider counts them apart converts.
 */
public interface WireScript {

  /** Token counts an answer reports. */
  record Tokens(long promptTokens, long completionTokens, long cachedTokens) {}

  /** A whole text answer that ended normally. */
  NativeAnswer text(String text, Tokens tokens);

  /** A whole answer that is one call of {@code name} with {@code argumentsJson}, ended to run the tool. */
  NativeAnswer toolCall(String name, String argumentsJson, Tokens tokens);

  /** A streamed text answer, one content event per piece, ended normally with its usage. */
  NativeAnswer streamedText(List<String> pieces, Tokens tokens);

  /**
   * A streamed tool call whose arguments arrive in {@code argumentPieces}; a provider that sends
   * whole calls sends the pieces joined.
   */
  NativeAnswer streamedToolCall(String name, List<String> argumentPieces, Tokens tokens);

  /** The start of a streamed text answer up to and including {@code pieces}; then the body just ends. */
  NativeAnswer cutStream(List<String> pieces);

  /** An error answer as the provider documents it, with a retry hint when {@code retryAfterSeconds > 0}. */
  NativeAnswer error(int status, String message, long retryAfterSeconds);

  /** A 200 answer whose JSON body is cut off. */
  NativeAnswer malformedAnswer();

  /** A stream that sends {@code piecesBefore}, then an event whose JSON is cut off. */
  NativeAnswer malformedStreamEvent(List<String> piecesBefore);
}
