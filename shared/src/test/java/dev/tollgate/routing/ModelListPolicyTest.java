package dev.tollgate.routing;

import static dev.tollgate.testing.ConfigItems.keyFor;
import static dev.tollgate.testing.ConfigItems.scriptedTarget;
import static dev.tollgate.testing.GatewayHarness.errorCode;
import static dev.tollgate.testing.GatewayHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.testing.GatewayHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /v1/models through a real gateway: only what this key may use and what can answer. */
class ModelListPolicyTest {

  private static final String KEY = "tg-lister-key";

  private final GatewayHarness harness =
      new GatewayHarness(
          List.of(
              scriptedTarget("chat", "a").build(),
              scriptedTarget("org/vision", "v").build(),
              scriptedTarget("dormant", "off").with("enabled", false).build(),
              scriptedTarget("dormant", "weightless").with("weight", 0).build(),
              scriptedTarget("forbidden", "f").build(),
              keyFor(KEY, "lister", "chat", "org/vision", "dormant").build()));

  private GatewayResponse get(String path) {
    return harness.send("GET", path, Map.of("Authorization", "Bearer " + KEY), "");
  }

  @Test
  void listsOnlyAllowedAliasesThatHaveASelectableTarget() {
    GatewayResponse response = get("/v1/models");

    assertEquals(200, response.status());
    JsonNode list = json(response);
    assertEquals("list", list.path("object").asText());
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(model -> ids.add(model.path("id").asText()));
    assertEquals(List.of("chat", "org/vision"), ids.stream().sorted().toList());
  }

  @Test
  void aKeyForEveryAliasSeesEveryServableAlias() {
    GatewayResponse response = harness.send("GET", "/v1/models", Map.of("x-api-key", GatewayHarness.API_KEY), "");

    List<String> ids = new ArrayList<>();
    json(response).path("data").forEach(model -> ids.add(model.path("id").asText()));
    assertEquals(List.of("chat", "forbidden", "org/vision"), ids.stream().sorted().toList());
  }

  @Test
  void describesOneModelInOpenAisShape() {
    GatewayResponse response = get("/v1/models/org/vision");

    assertEquals(200, response.status());
    JsonNode model = json(response);
    assertEquals("org/vision", model.path("id").asText());
    assertEquals("model", model.path("object").asText());
    assertEquals("tollgate", model.path("owned_by").asText());
    assertEquals(harness.clock().instant().getEpochSecond(), model.path("created").asLong());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dormant", "forbidden", "nothing-by-this-name"})
  void aModelTheKeyCannotUseIsNotFound(String alias) {
    GatewayResponse response = get("/v1/models/" + alias);

    assertEquals(404, response.status());
    assertEquals("model_not_found", errorCode(response));
  }

  @Test
  void listingNeedsAKey() {
    GatewayResponse response = harness.send("GET", "/v1/models", Map.of(), "");

    assertEquals(401, response.status());
  }
}
