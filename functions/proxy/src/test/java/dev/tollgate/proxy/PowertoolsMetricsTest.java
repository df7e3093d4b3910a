package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.Json;
import dev.tollgate.telemetry.RequestMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A finished request becomes EMF documents with the dimensions the dashboard searches for: one
 * with Model and Target, one with Consumer, each with the function's Service, never all three
 * together (the series stay a sum, not a product).
 */
class PowertoolsMetricsTest {

  @Test
  void aRequestIsWrittenPerModelAndTargetAndPerConsumer() {
    var powertools = LambdaWiring.powertoolsMetrics(Map.of());
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      new PowertoolsMetrics(powertools).request(new RequestMetrics("chat", "openai-main", "search", 200, false, 120, 30, 0.0042, 812.5));
    } finally {
      System.setOut(original);
    }

    List<JsonNode> documents = new ArrayList<>();
    out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).map(Json::parse).forEach(documents::add);
    assertEquals(2, documents.size(), out.toString(StandardCharsets.UTF_8));
    List<Set<String>> dimensionSets = new ArrayList<>();
    for (JsonNode document : documents) {
      JsonNode directive = document.path("_aws").path("CloudWatchMetrics").get(0);
      Set<String> dimensions = new java.util.TreeSet<>();
      directive.path("Dimensions").forEach(set -> set.forEach(name -> dimensions.add(name.asText())));
      dimensionSets.add(dimensions);
      assertEquals(1, document.path("Requests").asInt());
      assertEquals(120, document.path("TokensIn").asInt());
      assertEquals(30, document.path("TokensOut").asInt());
      assertEquals(0.0042, document.path("CostUsd").asDouble(), 1e-9);
      assertEquals(812.5, document.path("Latency").asDouble(), 1e-9);
      assertEquals(0, document.path("Errors").asInt());
    }
    assertTrue(dimensionSets.getFirst().containsAll(Set.of("Model", "Target")), dimensionSets.toString());
    assertTrue(!dimensionSets.getFirst().contains("Consumer"), dimensionSets.toString());
    assertTrue(dimensionSets.get(1).contains("Consumer") && !dimensionSets.get(1).contains("Model"), dimensionSets.toString());
    assertEquals(Set.of("Service", "Model", "Target"), dimensionSets.getFirst(), documents.toString());
    assertEquals(Set.of("Service", "Consumer"), dimensionSets.get(1));
    assertEquals(System.getenv("POWERTOOLS_SERVICE_NAME"), documents.getFirst().path("Service").asText());
    assertEquals("chat", documents.getFirst().path("Model").asText());
    assertEquals("openai-main", documents.getFirst().path("Target").asText());
    assertEquals("search", documents.get(1).path("Consumer").asText());
  }
}
