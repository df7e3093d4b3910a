package dev.tollgate.provider.openai;

import dev.tollgate.provider.ProviderSpec;
import dev.tollgate.provider.ProviderSpec.OptionRule;
import dev.tollgate.routing.Target;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A vendor that speaks OpenAI's chat completions API: where it lives, how it wants the key, and
 * how its URL is built. Adding such a vendor is adding one line to {@link #ALL}.
 */
public record OpenAiVendor(ProviderSpec spec, Auth auth, Path path) {

  /** How the credential is sent. */
  public enum Auth {
    BEARER,
    API_KEY_HEADER
  }

  /** How the chat completions URL is formed from the base URL. */
  public enum Path {
    CHAT_COMPLETIONS,
    AZURE_DEPLOYMENT
  }

  public static final String AZURE_API_VERSION = "apiVersion";
  public static final String DEFAULT_AZURE_API_VERSION = "2024-10-21";

  public static final List<OpenAiVendor> ALL =
      List.of(
          bearer("openai", "https://api.openai.com/v1", true),
          new OpenAiVendor(
              new ProviderSpec(
                  "azure-openai",
                  null,
                  true,
                  null,
                  true,
                  Map.of(
                      AZURE_API_VERSION,
                      OptionRule.text(
                          "\\d{4}-\\d{2}-\\d{2}(-preview)?", "an api-version such as 2024-10-21"))),
              Auth.API_KEY_HEADER,
              Path.AZURE_DEPLOYMENT),
          bearer("deepseek", "https://api.deepseek.com/v1", true),
          bearer("mistral", "https://api.mistral.ai/v1", true),
          bearer("volcengine-ark", "https://ark.cn-beijing.volces.com/api/v3", true),
          new OpenAiVendor(
              new ProviderSpec("openai-compatible", null, true, null, false, Map.of()),
              Auth.BEARER,
              Path.CHAT_COMPLETIONS),
          new OpenAiVendor(
              new ProviderSpec("vllm", null, true, null, false, Map.of()),
              Auth.BEARER,
              Path.CHAT_COMPLETIONS),
          new OpenAiVendor(
              new ProviderSpec("ollama", "http://127.0.0.1:11434/v1", false, null, false, Map.of()),
              Auth.BEARER,
              Path.CHAT_COMPLETIONS));

  private static OpenAiVendor bearer(String type, String baseUrl, boolean credentialRequired) {
    return new OpenAiVendor(
        new ProviderSpec(type, baseUrl, false, null, credentialRequired, Map.of()),
        Auth.BEARER,
        Path.CHAT_COMPLETIONS);
  }

  /** The chat completions URL of a target of this vendor. */
  public URI chatCompletionsUri(Target target) {
    return operationUri(target, "chat/completions");
  }

  /** The embeddings URL of a target of this vendor; on Azure, under the target's deployment. */
  public URI embeddingsUri(Target target) {
    return operationUri(target, "embeddings");
  }

  private URI operationUri(Target target, String operation) {
    String base = target.baseUrl();
    return switch (path) {
      case CHAT_COMPLETIONS -> URI.create(base + "/" + operation);
      case AZURE_DEPLOYMENT ->
          URI.create(
              base
                  + "/openai/deployments/"
                  + URLEncoder.encode(target.model(), StandardCharsets.UTF_8)
                  + "/"
                  + operation
                  + "?api-version="
                  + target.option(AZURE_API_VERSION, DEFAULT_AZURE_API_VERSION));
    };
  }
}
