package dev.tollgate.provider.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link FakeServer} on WireMock, bound to 127.0.0.1: it sends a {@link NativeAnswer}'s bytes as they are. */
public final class WireMockFakeServer implements FakeServer {

  private final WireMockServer server;

  public WireMockFakeServer() {
    server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @Override
  public String rootUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void answerWith(NativeAnswer answer) {
    server.stubFor(any(anyUrl()).willReturn(response(answer)));
  }

  /** {@code answer} as a WireMock response, for tests that stub their own servers with a wire script. */
  public static ResponseDefinitionBuilder response(NativeAnswer answer) {
    ResponseDefinitionBuilder response = aResponse().withStatus(answer.status()).withBody(answer.body());
    answer.headers().forEach(response::withHeader);
    return response;
  }

  @Override
  public List<RecordedRequest> received() {
    return server.findAll(anyRequestedFor(anyUrl())).stream().map(WireMockFakeServer::recorded).toList();
  }

  private static RecordedRequest recorded(LoggedRequest request) {
    Map<String, String> headers = new HashMap<>();
    for (var header : request.getHeaders().all()) {
      headers.put(header.key().toLowerCase(Locale.ROOT), header.firstValue());
    }
    return new RecordedRequest(request.getMethod().getName(), request.getUrl(), headers, request.getBody());
  }

  @Override
  public void reset() {
    server.resetAll();
  }

  @Override
  public void close() {
    server.stop();
  }
}
