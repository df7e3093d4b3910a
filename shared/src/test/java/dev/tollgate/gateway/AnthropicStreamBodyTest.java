package dev.tollgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.Settings;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.SseSink;
import dev.tollgate.pipeline.GatewayRequest;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.FailureKind;
import dev.tollgate.provider.UpstreamFailure;
import dev.tollgate.provider.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Anthropic stream body on the wire: named frames, a broken upstream, a client that leaves. */
class AnthropicStreamBodyTest {

  /** Hands out chunks, then ends cleanly or breaks with {@code failure}; counts tokens as it goes. */
  private static final class ListedChunks implements ChunkStream {
    private final Deque<ObjectNode> chunks;
    private final UpstreamFailure failure;
    private final Usage usage;
    private boolean closed;

    ListedChunks(List<ObjectNode> chunks, UpstreamFailure failure, Usage usage) {
      this.chunks = new ArrayDeque<>(chunks);
      this.failure = failure;
      this.usage = usage;
    }

    @Override
    public Optional<ObjectNode> next() throws UpstreamFailure {
      if (!chunks.isEmpty()) {
        return Optional.of(chunks.poll());
      }
      if (failure != null) {
        throw failure;
      }
      return Optional.empty();
    }

    @Override
    public Usage usage() {
      return usage;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final Exchange exchange =
      new Exchange(
          new GatewayRequest("POST", "/v1/messages", Map.of(), new byte[0], "req-1"),
          System.nanoTime(),
          new GatewayConfig(Settings.DEFAULTS, Map.of(), Map.of(), Instant.EPOCH));

  private static ObjectNode text(String text) {
    ObjectNode chunk = Json.object().put("id", "chatcmpl-1");
    chunk.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", text);
    return chunk;
  }

  private static String write(AnthropicStreamBody body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.writeTo(out::writeBytes);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachEventIsAFrameNamedByItsType() throws IOException {
    ListedChunks chunks = new ListedChunks(List.of(text("Hi")), null, new Usage(3, 1, 4));

    String body = write(new AnthropicStreamBody(chunks, "alias", exchange));

    List<String> names = body.lines().filter(line -> line.startsWith("event: ")).toList();
    assertEquals(
        List.of(
            "event: message_start",
            "event: content_block_start",
            "event: content_block_delta",
            "event: content_block_stop",
            "event: message_delta",
            "event: message_stop"),
        names);
    assertTrue(body.contains("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"), body);
    assertTrue(body.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), body);
    assertEquals(new Usage(3, 1, 4), exchange.usage());
    assertEquals(Optional.of("ok"), exchange.outcome());
    assertTrue(chunks.closed);
  }

  @Test
  void anUpstreamThatBreaksMidStreamEndsWithAnErrorEvent() throws IOException {
    exchange.answeredBy("primary");
    ListedChunks chunks =
        new ListedChunks(
            List.of(text("Hal")), UpstreamFailure.of(FailureKind.NETWORK_ERROR, "connection reset"), new Usage(3, 1, 4));

    String body = write(new AnthropicStreamBody(chunks, "alias", exchange));

    String last = body.substring(body.lastIndexOf("event: "));
    assertEquals(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
            + "\"message\":\"Target 'primary' failed after the stream had started (network error).\"}}\n\n",
        last);
    assertTrue(body.contains("\"text\":\"Hal\""), "what arrived before the break was sent");
    assertTrue(!body.contains("message_stop"), "a broken message is not declared complete");
    assertEquals(Optional.of("network error"), exchange.outcome());
    assertEquals(new Usage(3, 1, 4), exchange.usage());
  }

  @Test
  void aClientThatLeavesStopsTheStreamAndIsRecorded() {
    ListedChunks chunks = new ListedChunks(List.of(text("a"), text("b")), null, Usage.NONE);
    AnthropicStreamBody body = new AnthropicStreamBody(chunks, "alias", exchange);

    assertThrows(IOException.class, () -> body.writeTo(frame -> { throw new IOException("client gone"); }));

    assertEquals(Optional.of("client disconnected"), exchange.outcome());
    assertTrue(chunks.closed);
  }

  @Test
  void aClientFoundGoneBetweenFramesCancelsTheUpstream() throws IOException {
    ListedChunks chunks = new ListedChunks(List.of(text("a")), null, Usage.NONE);
    List<Runnable> cancels = new java.util.ArrayList<>();
    SseSink sink =
        new SseSink() {
          @Override
          public void send(byte[] frame) {}

          @Override
          public void whenClientGone(Runnable cancel) {
            cancels.add(cancel);
          }
        };
    new AnthropicStreamBody(chunks, "alias", exchange).writeTo(sink);
    chunks.closed = false;

    assertEquals(1, cancels.size(), "the body asks to hear of a client that left");
    cancels.getFirst().run();
    assertTrue(chunks.closed, "and then closes the upstream stream");
  }
}
