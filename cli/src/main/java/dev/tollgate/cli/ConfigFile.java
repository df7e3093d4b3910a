package dev.tollgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tollgate.config.ConfigDocument;
import dev.tollgate.config.ConfigError;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.ValidatedConfig;
import dev.tollgate.gateway.GatewayAssembly;
import dev.tollgate.aws.AwsProviders;
import dev.tollgate.provider.ProviderCatalog;
import dev.tollgate.provider.ProviderRegistry;
import dev.tollgate.provider.UpstreamHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a YAML config document into validated items, and writes items back out as YAML. */
final class ConfigFile {

  static final String BUNDLED_DEV_CONFIG = "dev.yaml";
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private ConfigFile() {}

  /** A parsed document: its items, and every error found (structure and values together). */
  record Loaded(String name, List<ConfigItem> items, List<ConfigError> errors) {
    boolean valid() {
      return errors.isEmpty();
    }
  }

  static Loaded read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file.toString(), in);
    }
  }

  static Loaded readBundledDevConfig() throws IOException {
    try (InputStream in = ConfigFile.class.getClassLoader().getResourceAsStream(BUNDLED_DEV_CONFIG)) {
      if (in == null) {
        throw new IOException("the bundled " + BUNDLED_DEV_CONFIG + " is missing from the jar");
      }
      return parse("(bundled) " + BUNDLED_DEV_CONFIG, in);
    }
  }

  static Loaded parse(String name, InputStream in) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
      return new Loaded(name, List.of(), List.of(new ConfigError(name, null, null, "valid YAML (" + where + e.getOriginalMessage() + ")")));
    }
    List<ConfigError> errors = new ArrayList<>();
    List<ConfigItem> items = ConfigDocument.toItems(root, errors);
    ValidatedConfig validated = new ConfigValidator(catalog()).validate(items, Instant.now());
    errors.addAll(validated.errors());
    return new Loaded(name, items, errors);
  }

  static String toYaml(List<ConfigItem> items) throws IOException {
    return YAML.writeValueAsString(ConfigDocument.fromItems(items));
  }

  /** The provider types this build knows; validation needs their rules, not their clients. */
  static ProviderCatalog catalog() {
    ProviderRegistry registry = GatewayAssembly.standardProviders(new UpstreamHttp(), Clock.systemUTC());
    return AwsProviders.register(registry, awsRegion(System.getenv()), Clock.systemUTC());
  }

  /** The region AWS-backed providers default to: the SDK's variables, else us-east-1. */
  static String awsRegion(Map<String, String> environment) {
    String region = environment.get("AWS_REGION");
    if (region == null || region.isBlank()) {
      region = environment.get("AWS_DEFAULT_REGION");
    }
    return region == null || region.isBlank() ? "us-east-1" : region;
  }
}
