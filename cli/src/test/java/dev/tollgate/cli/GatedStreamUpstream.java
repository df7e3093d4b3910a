package dev.tollgate.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenAI-compatible streaming upstream on loopback that sends its first chunk and then holds
 * the rest until the test releases it: proof that the first chunk crossed the gateway before the
 * upstream finished. With {@code endless}, it keeps sending until a write fails, and records that
 * the gateway hung up.
 */
final class GatedStreamUpstream implements AutoCloseable {

  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch hungUp = new CountDownLatch(1);
  final AtomicReference<String> lastRequest = new AtomicReference<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final boolean endless;

  GatedStreamUpstream(boolean endless) throws IOException {
    this.endless = endless;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::serve);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private static String chunk(String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-gated\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gated-model\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
        + finish + "}]}\n\n";
  }

  private void serve(HttpExchange exchange) throws IOException {
    lastRequest.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    exchange.getResponseHeaders().set("content-type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    try {
      write(out, chunk("{\"role\":\"assistant\",\"content\":\"first \"}", "null"));
      if (!release.await(20, TimeUnit.SECONDS)) {
        throw new IOException("the test never released the rest");
      }
      if (endless) {
        for (int i = 0; i < 1000; i++) {
          write(out, chunk("{\"content\":\"more \"}", "null"));
          Thread.sleep(20);
        }
      }
      write(out, chunk("{\"content\":\"second\"}", "null"));
      write(out, chunk("{}", "\"stop\""));
      write(out,
          "data: {\"id\":\"chatcmpl-gated\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
              + "\"model\":\"gated-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,"
              + "\"total_tokens\":9}}\n\n");
      write(out, "data: [DONE]\n\n");
      out.close();
    } catch (IOException e) {
      hungUp.countDown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  private static void write(OutputStream out, String frame) throws IOException {
    out.write(frame.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.close();
  }
}
