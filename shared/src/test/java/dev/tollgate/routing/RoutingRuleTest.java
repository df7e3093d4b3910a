package dev.tollgate.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.Json;
import dev.tollgate.pipeline.GatewayRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The edges of each matcher, on one rule and one request at a time. */
class RoutingRuleTest {

  private static RoutingRule rule(Map<String, Pattern> headers, Map<String, Pattern> metadata, List<String> keywords,
      Optional<Boolean> hasImages) {
    return new RoutingRule("r", 0, "to", Set.of(), Set.of(), headers, metadata, Optional.empty(), keywords, 0,
        Optional.empty(), hasImages, Optional.empty());
  }

  private static RequestFeatures request(String json, Map<String, String> headers) {
    return new RequestFeatures(
        new GatewayRequest("POST", "/v1/chat/completions", headers, new byte[0], "req-1"),
        new ChatRequest((ObjectNode) Json.parse(json)), "default");
  }

  @Test
  void aMissingHeaderOrMetadataKeyNeverMatchesAndNamesAreCaseInsensitive() {
    RoutingRule byHeader = rule(Map.of("X-Team", Pattern.compile("^a$")), Map.of(), List.of(), Optional.empty());
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertFalse(byHeader.matches(request(body, Map.of())));
    assertTrue(byHeader.matches(request(body, Map.of("x-team", "a"))));

    RoutingRule byMetadata = rule(Map.of(), Map.of("tier", Pattern.compile("^2$")), List.of(), Optional.empty());
    assertFalse(byMetadata.matches(request(body, Map.of())));
    assertTrue(byMetadata.matches(request(
        "{\"model\":\"m\",\"metadata\":{\"tier\":2},\"messages\":[]}", Map.of())), "a number is matched as its text");
    assertFalse(byMetadata.matches(request(
        "{\"model\":\"m\",\"metadata\":{\"tier\":[2]},\"messages\":[]}", Map.of())), "a list is not a value");
  }

  @Test
  void keywordsIgnoreCaseAndOnlyTheLastUserMessageCounts() {
    RoutingRule rule = rule(Map.of(), Map.of(), List.of("Invoice"), Optional.empty());
    assertTrue(rule.matches(request(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"my INVOICE\"}]}]}", Map.of())));
    assertFalse(rule.matches(request(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"invoice\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
            + "{\"role\":\"user\",\"content\":\"thanks\"}]}", Map.of())));
  }

  @Test
  void anImageInAnEarlierMessageCounts() {
    RoutingRule rule = rule(Map.of(), Map.of(), List.of(), Optional.of(true));
    assertTrue(rule.matches(request(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/a.png\"}}]},"
            + "{\"role\":\"user\",\"content\":\"and now?\"}]}", Map.of())));
    assertFalse(rule.matches(request("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"no image\"}]}", Map.of())));
  }
}
