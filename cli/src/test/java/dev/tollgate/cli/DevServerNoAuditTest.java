package dev.tollgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.aws.TableSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** {@code tollgate dev --no-audit}: requests are answered and leave no audit record; without it they do. */
class DevServerNoAuditTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int auditRecordsAfterOneRequest(boolean audit) throws Exception {
    DevServer.Options options =
        new DevServer.Options(Optional.empty(), "127.0.0.1", 0, Optional.empty(), Optional.empty(), Duration.ofSeconds(15),
            Map.of(), Optional.empty(), audit);
    try (DevServer server = DevServer.start(options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
                  .header("Authorization", "Bearer " + server.demoKey())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"mock\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return server.dynamo().scan(ScanRequest.builder().tableName(DevServer.TABLE_PREFIX + TableSchemas.AUDIT).build()).count();
    }
  }

  @Test
  void noAuditWritesNoRecordWhileTheDefaultWritesOne() throws Exception {
    assertEquals(0, auditRecordsAfterOneRequest(false));
    assertEquals(1, auditRecordsAfterOneRequest(true));
  }
}
