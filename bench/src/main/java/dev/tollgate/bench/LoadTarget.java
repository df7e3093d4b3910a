package dev.tollgate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * One endpoint under load: its own HTTP/1.1 client (so each target keeps its own pool of
 * keep-alive connections) and one prepared request, identical apart from the URL for every target.
 * The client runs its callbacks on virtual threads: measured here, that halves its CPU per
 * request against the default thread pool, leaving more of the 2 cores to the servers measured.
 */
record LoadTarget(String name, HttpClient client, HttpRequest request) {

  static LoadTarget of(String name, URI chatCompletions, String apiKey, byte[] body) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(chatCompletions)
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + apiKey)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return new LoadTarget(name, client, request);
  }
}
