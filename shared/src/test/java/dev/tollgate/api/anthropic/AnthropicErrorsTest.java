package dev.tollgate.api.anthropic;

import static dev.tollgate.testing.SameJson.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.api.ApiError;
import dev.tollgate.api.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our errors in Anthropic's shape, typed by status. */
class AnthropicErrorsTest {

  @ParameterizedTest
  @CsvSource({
    "400,invalid_request_error",
    "401,authentication_error",
    "403,permission_error",
    "404,not_found_error",
    "405,invalid_request_error",
    "413,request_too_large",
    "429,rate_limit_error",
    "500,api_error",
    "502,api_error",
    "503,overloaded_error",
    "504,api_error"
  })
  void theTypeFollowsTheStatus(int status, String type) {
    assertEquals(type, AnthropicErrors.type(status));
  }

  @Test
  void theBodyCarriesTypeAndMessageOnly() {
    assertSameJson(
        Json.parse("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid API key.\"}}"),
        AnthropicErrors.body(ApiError.invalidApiKey()));
  }
}
