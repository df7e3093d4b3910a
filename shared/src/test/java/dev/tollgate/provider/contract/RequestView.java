package dev.tollgate.provider.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Where the contract finds each translated field in a native request the fake recorded. Each
 * adapter's subclass reads its own format; the contract compares in OpenAI's terms.
 */
public interface RequestView {

  /** A conversation turn: {@code user} or {@code assistant}, with its text parts joined. */
  record Turn(String role, String text) {}

  /** A declared function tool. */
  record Tool(String name, String description, JsonNode parameters) {}

  /** A tool call an earlier assistant turn made, its arguments as a JSON object. */
  record ToolUse(String name, JsonNode arguments) {}

  /** An inline image part. */
  record Image(String mediaType, String base64) {}

  /** The model the upstream was asked for, from the body or the URL. */
  String model();

  /** Whether the upstream was asked for a streamed answer. */
  boolean streams();

  Optional<String> system();

  /** The user and assistant turns that carry text, in order; tool results are not turns here. */
  List<Turn> turns();

  List<Tool> tools();

  List<ToolUse> toolCalls();

  /** The text of each tool result sent back. */
  List<String> toolResults();

  List<Image> images();
}
