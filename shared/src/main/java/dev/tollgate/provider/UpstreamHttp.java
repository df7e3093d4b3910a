package dev.tollgate.provider;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client every HTTP provider shares: built once, connections kept alive and reused, and
 * each call bounded by a deadline that covers connecting, waiting and reading the whole body.
 */
public final class UpstreamHttp {

  /** Answers larger than this are refused rather than buffered. */
  public static final long MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

  /** How much of a refused stream's body is read to find the error message. */
  static final int MAX_ERROR_BYTES = 1024 * 1024;

  /** How long a finished stream's leftover bytes are waited for before its connection is dropped. */
  static final long DRAIN_LIMIT_MS = 2_000;

  /** The client's completion work runs on virtual threads: about a fifth less CPU than its pool. */
  private static final Executor VIRTUAL_THREADS = Executors.newVirtualThreadPerTaskExecutor();

  private final HttpClient https;
  private final HttpClient plain;

  public UpstreamHttp() {
    this.https =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(VIRTUAL_THREADS)
            .build();
    // Plain http stays on HTTP/1.1: an h2c upgrade attempt confuses many self-hosted servers.
    this.plain =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(VIRTUAL_THREADS)
            .build();
  }

  /** A received HTTP answer. */
  public record Result(int status, HttpHeaders headers, byte[] body) {}

  public Result post(URI uri, Map<String, String> headers, byte[] body, Duration timeout)
      throws UpstreamFailure {
    HttpResponse<byte[]> response =
        send(
            uri,
            headers,
            body,
            timeout,
            HttpResponse.BodyHandlers.limiting(HttpResponse.BodyHandlers.ofByteArray(), MAX_RESPONSE_BYTES));
    return new Result(response.statusCode(), response.headers(), response.body());
  }

  /** Posts and waits for the response's {@code handler} to complete, within {@code timeout}. */
  private <T> HttpResponse<T> send(
      URI uri, Map<String, String> headers, byte[] body, Duration timeout, HttpResponse.BodyHandler<T> handler)
      throws UpstreamFailure {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpClient client = "https".equals(uri.getScheme()) ? https : plain;
    CompletableFuture<HttpResponse<T>> pending = client.sendAsync(request.build(), handler);
    try {
      return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw timedOut(timeout);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw UpstreamFailure.of(FailureKind.NETWORK_ERROR, "interrupted");
    } catch (ExecutionException e) {
      throw classify(e.getCause(), timeout);
    }
  }

  /**
   * An answer whose body is read as it arrives. {@link #cancel} closes the body and so the
   * exchange with the upstream; it may be called from any thread, more than once.
   */
  public record StreamResponse(int status, HttpHeaders headers, InputStream body) {

    /** The body read whole (bounded), for classifying a refusal. */
    public Result buffered() {
      try (InputStream in = body) {
        return new Result(status, headers, in.readNBytes(MAX_ERROR_BYTES));
      } catch (IOException e) {
        return new Result(status, headers, new byte[0]);
      }
    }

    /**
     * After the answer is complete: reads what is left of the body (usually just the end of a
     * chunked body) in the background, so the connection goes back to the pool instead of being
     * torn down, and gives up after a moment on an upstream that holds the body open.
     */
    public void finish() {
      Thread.ofVirtual()
          .start(
              () -> {
                CompletableFuture<Void> giveUp =
                    CompletableFuture.runAsync(
                        this::cancel, CompletableFuture.delayedExecutor(DRAIN_LIMIT_MS, TimeUnit.MILLISECONDS));
                try (InputStream in = body) {
                  byte[] rest = new byte[8192];
                  long left = MAX_ERROR_BYTES;
                  for (int n = in.read(rest); n >= 0 && left > 0; n = in.read(rest)) {
                    left -= n;
                  }
                } catch (IOException e) {
                  // the connection is gone; nothing to reuse
                } finally {
                  giveUp.cancel(false);
                }
              });
    }

    public void cancel() {
      try {
        body.close();
      } catch (IOException e) {
        // closing is best effort: the exchange is cancelled either way
      }
    }
  }

  /**
   * Posts and returns once the status and headers are in, within {@code timeout}; the body is
   * left to the caller to read as it streams.
   */
  public StreamResponse openStream(URI uri, Map<String, String> headers, byte[] body, Duration timeout)
      throws UpstreamFailure {
    HttpResponse<InputStream> response = send(uri, headers, body, timeout, HttpResponse.BodyHandlers.ofInputStream());
    return new StreamResponse(response.statusCode(), response.headers(), response.body());
  }

  private static UpstreamFailure classify(Throwable cause, Duration timeout) {
    if (cause instanceof HttpConnectTimeoutException) {
      return UpstreamFailure.of(FailureKind.TIMED_OUT, "connect timed out");
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut(timeout);
    }
    if (cause instanceof ConnectException) {
      return UpstreamFailure.of(FailureKind.NETWORK_ERROR, "connection refused");
    }
    if (cause instanceof IOException io && io.getMessage() != null && io.getMessage().contains("exceed")) {
      return UpstreamFailure.of(FailureKind.BAD_RESPONSE, "response larger than " + MAX_RESPONSE_BYTES + " bytes");
    }
    String name = cause == null ? "unknown" : cause.getClass().getSimpleName();
    return UpstreamFailure.of(FailureKind.NETWORK_ERROR, "connection failed (" + name + ")");
  }

  private static UpstreamFailure timedOut(Duration timeout) {
    return UpstreamFailure.of(FailureKind.TIMED_OUT, "timed out after " + timeout.toMillis() + " ms");
  }
}
