package dev.tollgate.config;

import dev.tollgate.prompt.PromptMatch;
import dev.tollgate.prompt.PromptTemplate;
import dev.tollgate.prompt.TemplateText;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and checks one prompt template item ({@code pk = template#NAME}, {@code sk = template}):
 * its messages are parsed into text and {@code {{name}}} placeholders here, once per config load.
 */
final class TemplateReader {

  private static final Set<String> FIELDS = Set.of("messages", "models", "groups", "description");

  private TemplateReader() {}

  static Optional<PromptTemplate> read(ConfigItem item, ItemReader reader) {
    String name = PromptReaders.name(item, reader, ItemKeys.TEMPLATE_PREFIX, ItemKeys.TEMPLATE_SK, "a prompt template");
    reader.rejectUnknown(FIELDS);
    Optional<List<PromptTemplate.Message>> messages =
        PromptReaders.messages(reader, "messages", (role, content) -> new PromptTemplate.Message(role, TemplateText.parse(content)));
    if (messages.map(List::isEmpty).orElse(false)) {
      reader.fail("messages", reader.value("messages"), "a non-empty list of messages {role, content}, "
          + "the content with placeholders written " + TemplateText.VARIABLE_EXPECTED);
    }
    PromptMatch match = PromptReaders.match(reader);
    reader.optionalString("description", ConfigValidator.TEXT, "text of up to 512 characters");
    if (!reader.ok()) {
      return Optional.empty();
    }
    return Optional.of(new PromptTemplate(name, messages.orElseThrow(), match));
  }
}
