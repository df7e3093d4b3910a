package dev.tollgate.moderation;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The built-in kinds of personal or secret data a filter can find; {@link PiiDetectors} says what each matches. */
public enum PiiType {
  EMAIL("email"),
  PHONE("phone"),
  CARD("card"),
  IBAN("iban"),
  AWS_ACCESS_KEY("awsAccessKey"),
  AWS_SECRET_KEY("awsSecretKey");

  private static final Map<String, PiiType> BY_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(PiiType::configName, Function.identity()));

  private final String configName;

  PiiType(String configName) {
    this.configName = configName;
  }

  /** The name in config, verdicts and placeholders ({@code [REDACTED:card]}). */
  public String configName() {
    return configName;
  }

  /** The one detector of this type, shared by every filter. */
  public Detector detector() {
    return PiiDetectors.of(this);
  }

  public static Optional<PiiType> byConfigName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The config names, in declaration order, for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(PiiType::configName).collect(Collectors.joining(", "));
  }
}
