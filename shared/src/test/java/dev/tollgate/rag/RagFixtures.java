package dev.tollgate.rag;

import static dev.tollgate.testing.ScriptedRetriever.chunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ItemKeys;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import dev.tollgate.testing.ScriptedRetriever;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The knowledge bases, targets and keys the retrieval gateway tests share. */
final class RagFixtures {

  static final String SUPPORT_KEY = "tg-support-agent-key";
  static final String REFUNDS = "Refunds are paid back to the original card within 14 days of the return.";
  static final String SHIPPING = "We ship to every EU country; delivery takes 2 to 4 working days.";
  static final String OUTDATED = "Refunds took 30 days before 2024.";

  private RagFixtures() {}

  static ConfigItems.Builder rag(String name, String kb) {
    return ConfigItems.item(ItemKeys.ragPk(name), ItemKeys.RAG_SK).with("kb", kb);
  }

  /** handbook: two chunks above 0.5 and one below; legal: one internal and one public chunk. */
  static ScriptedRetriever retriever() {
    return new ScriptedRetriever()
        .with("handbook",
            chunk("handbook/refunds.md", 2, REFUNDS, 0.82),
            chunk("handbook/shipping.md", 0, SHIPPING, 0.61),
            chunk("handbook/old refunds.md", 5, OUTDATED, 0.2))
        .with("legal",
            chunk("legal/contract.md", 7, "Clause 7: either party may end the contract with 30 days notice.", 0.9,
                Map.of("audience", "internal")),
            chunk("legal/terms.md", 1, "Our public terms allow returns within 30 days.", 0.7, Map.of("audience", "public")));
  }

  /** Targets chat and other, the harness key (group default) and a support-group key, plus {@code policies}. */
  static GatewayHarness gateway(ScriptedRetriever retriever, ConfigItem... policies) {
    List<ConfigItem> items = new ArrayList<>(List.of(
        ConfigItems.scriptedTarget("chat", "chat-target").build(),
        ConfigItems.scriptedTarget("other", "other-target").build(),
        ConfigItems.keyFor(SUPPORT_KEY, "agent", "*").with("group", "support").build()));
    items.addAll(List.of(policies));
    return GatewayHarness.withRetriever(items, retriever);
  }

  /** A chat body for {@code model}: an optional system message, the user's question, an optional tollgate extension. */
  static String body(String model, String system, String question, ObjectNode extension) {
    ObjectNode body = Json.object().put("model", model);
    ArrayNode messages = body.putArray("messages");
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    messages.addObject().put("role", "user").put("content", question);
    if (extension != null) {
      body.set("tollgate", extension);
    }
    return Json.text(body);
  }

  static String body(String model, String question) {
    return body(model, null, question, null);
  }

  static ObjectNode kb(String kb) {
    return Json.object().put("kb", kb);
  }

  /** The messages the upstream was sent by the last call. */
  static JsonNode upstreamMessages(GatewayHarness gateway) {
    return gateway.provider().calls().getLast().request().body().get("messages");
  }

  static Map<String, String> bearer(String key) {
    return Map.of("Authorization", "Bearer " + key);
  }
}
