package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real provider in the dev config switches on when its key variable is set and stays off
 * (and says so) when it is not. The "provider" here is the OpenAI-compatible mock upstream.
 */
class DevServerProviderSwitchTest {

  private static MockUpstreamServer upstream;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = MockUpstreamServer.start(0, Duration.ZERO);
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  private static DevServer start(Map<String, String> env, ByteArrayOutputStream out) throws Exception {
    Path config = dir.resolve("switch.yaml");
    Files.writeString(
        config,
        """
        models:
          hosted:
            targets:
              - id: hosted-upstream
                provider: openai-compatible
                model: upstream-model
                baseUrl: http://127.0.0.1:%d/v1
                credential: env:HOSTED_API_KEY
        """.formatted(upstream.port()));
    return DevServer.start(
        new DevServer.Options(Optional.of(config), "127.0.0.1", 0, Optional.of("tg-switch"), Optional.empty(),
            Duration.ofSeconds(15), env),
        new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> chat(DevServer server) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
            .header("authorization", "Bearer tg-switch")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"hosted\",\"messages\":[{\"role\":\"user\",\"content\":\"via upstream\"}]}"))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withTheKeySetTheProviderAnswers() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DevServer server = start(Map.of("HOSTED_API_KEY", "sk-local-test"), out)) {
      HttpResponse<String> response = chat(server);
      assertEquals(200, response.statusCode(), response.body());
      assertEquals("hosted-upstream", response.headers().firstValue("x-tollgate-target").orElseThrow());
      assertEquals("upstream-model", Json.parse(response.body()).path("model").asText());
      assertEquals("via upstream", Json.parse(response.body()).path("choices").get(0).path("message").path("content").asText());
      assertFalse(out.toString(StandardCharsets.UTF_8).contains("off:"));
    }
  }

  @Test
  void withoutTheKeyTheProviderIsOffAndTheGatewaySaysWhy() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DevServer server = start(Map.of(), out)) {
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("off: models.hosted.targets[0] (set HOSTED_API_KEY to enable)"),
          out.toString(StandardCharsets.UTF_8));
      HttpResponse<String> response = chat(server);
      assertEquals(503, response.statusCode(), response.body());
      assertEquals("no_target_available", Json.parse(response.body()).path("error").path("code").asText());
    }
  }
}
