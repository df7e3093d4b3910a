package dev.tollgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamingServerRequestIdTest {

  @Test
  void behindTheWebAdapterTheApiGatewayRequestIdIsKept() {
    String context = "{\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"stage\":\"stream\"}";
    assertEquals(
        "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        StreamingServer.requestId(Map.of(StreamingServer.LWA_REQUEST_CONTEXT, context)));
  }

  @Test
  void withoutOrWithAnUnreadableContextEachRequestGetsItsOwnId() {
    String first = StreamingServer.requestId(Map.of());
    String second = StreamingServer.requestId(Map.of(StreamingServer.LWA_REQUEST_CONTEXT, "not json"));
    assertTrue(first.startsWith("req-"), first);
    assertTrue(second.startsWith("req-"), second);
    assertNotEquals(first, second);
    assertTrue(StreamingServer.requestId(Map.of(StreamingServer.LWA_REQUEST_CONTEXT, "{\"requestId\":\"\"}")).startsWith("req-"));
  }
}
