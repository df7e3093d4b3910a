package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.audit.AuditRecord;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.pipeline.GatewayResponse;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.Usage;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.GatewayHarness;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StreamingServerAbandonTest {

  /** An upstream stream that would go on for ever, and says whether it was cancelled. */
  private static final class EndlessStream implements ChunkStream {
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public Optional<ObjectNode> next() {
      ObjectNode chunk = Json.object().put("id", "c").put("object", "chat.completion.chunk").put("created", 0).put("model", "m");
      chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", "more ");
      return Optional.of(chunk);
    }

    @Override
    public Usage usage() {
      return new Usage(5, 1, 6);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  @Test
  void aStreamWhoseClientLeftBeforeItsHeadersIsCancelledSettledAndAudited() {
    GatewayHarness harness = new GatewayHarness(List.of(ConfigItems.scriptedTarget("chat", "a").build()));
    EndlessStream upstream = new EndlessStream();
    harness.provider().onStream("a", call -> upstream);
    ObjectNode body = GatewayHarness.chatJson("chat").put("stream", true);
    GatewayResponse response =
        harness.gateway().handleStreaming(
            new GatewayRequest("POST", GatewayHarness.CHAT_PATH, Map.of("authorization", "Bearer " + GatewayHarness.API_KEY),
                Json.bytes(body), "req-gone"));
    assertTrue(response.streamed());

    StreamingServer.abandon(response);

    assertTrue(upstream.closed.get(), "the upstream call is cancelled");
    List<AuditRecord> records = harness.audit().records();
    assertEquals(1, records.size(), "the request still leaves its audit record");
    assertEquals("req-gone", records.getFirst().requestId());
    assertEquals("client disconnected", records.getFirst().outcome());
  }
}
