package dev.tollgate.auth;

import dev.tollgate.api.ApiError;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.Policy;
import dev.tollgate.pipeline.PolicyChain;
import dev.tollgate.pipeline.Reply;
import java.util.Optional;

/**
 * Finds the consumer behind {@code Authorization: Bearer <key>} or {@code x-api-key}. Unknown,
 * disabled and malformed keys all get the same 401, so probing tells nothing.
 */
public final class AuthPolicy implements Policy {

  private static final int MAX_KEY_LENGTH = 512;

  @Override
  public Reply apply(Exchange exchange, PolicyChain chain) {
    Optional<String> key = presentedKey(exchange);
    if (key.isEmpty()) {
      return Reply.error(ApiError.missingApiKey());
    }
    if (key.get().length() > MAX_KEY_LENGTH) {
      return Reply.error(ApiError.invalidApiKey());
    }
    Optional<Consumer> consumer =
        exchange.config().consumerByKeyHash(ApiKeys.hash(key.get())).filter(Consumer::enabled);
    if (consumer.isEmpty()) {
      return Reply.error(ApiError.invalidApiKey());
    }
    exchange.consumer(consumer.get());
    return chain.proceed(exchange);
  }

  static Optional<String> presentedKey(Exchange exchange) {
    Optional<String> authorization = exchange.request().header("authorization").map(String::trim);
    if (authorization.isPresent() && !authorization.get().isEmpty()) {
      String value = authorization.get();
      // The header is trimmed already, so an empty token leaves "Bearer" with nothing after it.
      boolean bearer =
          value.regionMatches(true, 0, "Bearer", 0, 6)
              && (value.length() == 6 || Character.isWhitespace(value.charAt(6)));
      if (bearer) {
        return nonBlank(value.substring(6).trim());
      }
      return Optional.of(value); // malformed scheme: still a key attempt, refused like any bad key
    }
    return exchange.request().header("x-api-key").map(String::trim).flatMap(AuthPolicy::nonBlank);
  }

  private static Optional<String> nonBlank(String value) {
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
