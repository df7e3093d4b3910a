// What the first streamed Bedrock call costs a fresh JVM: loading CRT's native library, building
// the async client, and one ConverseStream against a loopback fake. Run against the shaded jar:
//
//   java --add-opens java.base/java.lang=ALL-UNNAMED -XX:TieredStopAtLevel=1 \
//     -cp functions/proxy/target/tollgate-proxy-lambda.jar bench/probes/BedrockFirstStreamProbe.java
//
// Prints one line: JVM start to main, first stream (open to last chunk), second stream, and
// whether CRT's class was loaded before the first stream (it must not be: CRT loads lazily).
// With the argument "crt-first" it loads CRT (its native library) on its own first and times
// that, so the first stream's figure is without it.
// Static credentials, region and a loopback endpoint: nothing leaves 127.0.0.1.

import com.sun.net.httpserver.HttpServer;
import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.Json;
import dev.tollgate.aws.AwsProviders;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.UpstreamCall;
import dev.tollgate.routing.Target;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

public class BedrockFirstStreamProbe {

  public static void main(String[] args) {
    try {
      run(args.length > 0 && args[0].equals("crt-first"));
      System.exit(0);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(boolean crtFirst) throws Exception {
    long mainAt = System.currentTimeMillis();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.setProperty("aws.accessKeyId", "probe");
    System.setProperty("aws.secretAccessKey", "probe");
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("content-type", "application/vnd.amazon.eventstream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(frame("messageStart", "{\"role\":\"assistant\"}"));
        out.write(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello.\"}}"));
        out.write(frame("contentBlockStop", "{\"contentBlockIndex\":0}"));
        out.write(frame("messageStop", "{\"stopReason\":\"end_turn\"}"));
        out.write(frame("metadata", "{\"usage\":{\"inputTokens\":3,\"outputTokens\":2,\"totalTokens\":5},\"metrics\":{\"latencyMs\":1}}"));
      }
    });
    server.start();
    var registry = AwsProviders.register(new ProviderRegistry(), "us-east-1", InstantSource.system());
    var provider = registry.provider("bedrock").orElseThrow();
    Target target = new Target("probe", "chat", "bedrock", "amazon.nova-micro-v1:0",
        "http://127.0.0.1:" + server.getAddress().getPort(), Optional.empty(), 1, 1, Duration.ofSeconds(10), true,
        BigDecimal.ZERO, BigDecimal.ZERO, Map.of());
    ObjectNode body = (ObjectNode) Json.parse("{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    UpstreamCall call = new UpstreamCall(target, new ChatRequest(body), Optional.empty(), Duration.ofSeconds(10), "probe-1");
    boolean crtBefore = loaded("software.amazon.awssdk.crt.CRT");
    long crtMs = -1;
    if (crtFirst) {
      long start = System.nanoTime();
      Class.forName("software.amazon.awssdk.crt.CRT", true, ClassLoader.getSystemClassLoader());
      crtMs = (System.nanoTime() - start) / 1_000_000;
    }
    long first = timeStream(provider, call);
    long second = timeStream(provider, call);
    System.out.printf("FIRSTSTREAM jvm_to_main_ms=%d crt_load_ms=%d first_stream_ms=%d second_stream_ms=%d crt_loaded_before_first=%b crt_loaded_after=%b%n",
        mainAt - jvmStart, crtMs, first, second, crtBefore, loaded("software.amazon.awssdk.crt.CRT"));
    server.stop(0);
  }

  private static long timeStream(dev.tollgate.provider.Provider provider, UpstreamCall call) throws Exception {
    long start = System.nanoTime();
    try (ChunkStream stream = provider.stream(call)) {
      while (stream.next().isPresent()) {}
      if (stream.usage().totalTokens() != 5) throw new IllegalStateException("usage " + stream.usage());
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Whether a class is loaded, without loading it. */
  private static boolean loaded(String name) throws Exception {
    var find = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
    find.setAccessible(true);
    return find.invoke(ClassLoader.getSystemClassLoader(), name) != null;
  }

  private static byte[] frame(String type, String json) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Message(headers, json.getBytes(StandardCharsets.UTF_8)).encode(bytes);
    return bytes.toByteArray();
  }
}
