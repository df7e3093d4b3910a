package dev.tollgate.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateTextTest {

  @Test
  void placeholdersAreFoundWithOptionalSpacesAndListedInOrderOfFirstUse() {
    TemplateText text = TemplateText.parse("{{b}} and {{ a }} and {{b}}{{_c9}}");

    assertEquals(List.of("b", "a", "_c9"), List.copyOf(text.variables()));
    assertEquals("2 and 1 and 23", text.render(Map.of("a", "1", "b", "2", "_c9", "3")));
  }

  @Test
  void bracesThatFormNoPlaceholderAreText() {
    TemplateText text = TemplateText.parse("{ json: {a} } {{ and }} {{{x}}} {{");

    assertEquals(List.of("and", "x"), List.copyOf(text.variables()));
    assertEquals("{ json: {a} } A {X} {{", text.render(Map.of("and", "A", "x", "X")));
  }

  @Test
  void valuesAreRenderedInOnePassAndNeverExpanded() {
    assertEquals("{{b}}-{{a}}", TemplateText.parse("{{a}}-{{b}}").render(Map.of("a", "{{b}}", "b", "{{a}}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Hello {{user name}}", "{{}}", "{{9lives}}", "{{a-b}}", "{{ a.b }}"})
  void aDoubleBracedTextThatIsNotAPlaceholderIsRefused(String content) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TemplateText.parse(content));

    assertEquals(true, e.getMessage().contains("is not a placeholder: write {{name}}"), e.getMessage());
  }

  @Test
  void aTextWithoutPlaceholdersHasNoVariables() {
    assertEquals(List.of(), List.copyOf(TemplateText.parse("plain").variables()));
    assertEquals("plain", TemplateText.parse("plain").render(Map.of()));
  }
}
