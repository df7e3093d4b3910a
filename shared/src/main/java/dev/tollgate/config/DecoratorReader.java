package dev.tollgate.config;

import dev.tollgate.prompt.PromptDecorator;
import dev.tollgate.prompt.PromptMatch;
import dev.tollgate.prompt.PromptMessage;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads and checks one prompt decorator item ({@code pk = decorator#NAME}, {@code sk = decorator}). */
final class DecoratorReader {

  private static final Set<String> FIELDS = Set.of("prepend", "append", "models", "groups", "description");

  private DecoratorReader() {}

  static Optional<PromptDecorator> read(ConfigItem item, ItemReader reader) {
    String name =
        PromptReaders.name(item, reader, ItemKeys.DECORATOR_PREFIX, ItemKeys.DECORATOR_SK, "a prompt decorator");
    reader.rejectUnknown(FIELDS);
    Optional<List<PromptMessage>> prepend = PromptReaders.messages(reader, "prepend", PromptMessage::new);
    Optional<List<PromptMessage>> append = PromptReaders.messages(reader, "append", PromptMessage::new);
    if (prepend.map(List::isEmpty).orElse(false) && append.map(List::isEmpty).orElse(false)) {
      reader.fail("prepend", reader.value("prepend"), "at least one message in prepend or append (a decorator with neither adds nothing)");
    }
    PromptMatch match = PromptReaders.match(reader);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(new PromptDecorator(name, prepend.orElseThrow(), append.orElseThrow(), match));
  }
}
