// What counting a request's prompt tokens costs: the first count in a fresh JVM (which reads the
// encoding's vocabulary from the jar) and a typical count after it. Run against the shaded jar:
//
//   java -XX:TieredStopAtLevel=1 -cp functions/proxy/target/tollgate-proxy-lambda.jar \
//     bench/probes/TokenEstimateProbe.java
//
// Prints, in ms: building the estimator; the first gpt-4o count (o200k_base load + count); the
// first gpt-4 count (cl100k_base load + count); then the median and p99 of 2,000 counts, after 500
// warm-up counts, of a short request (OpenAI cookbook's 6-message conversation, 124 tokens) and a
// long one (the same conversation plus a 3,800-token user message of 18,800 characters).

import dev.tollgate.api.ChatRequest;
import dev.tollgate.api.ChatRequestValidator;
import dev.tollgate.api.Json;
import dev.tollgate.limit.TokenEstimator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

void main() throws Exception {
  String messages =
      """
      [{"role":"system","content":"You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
       {"role":"system","name":"example_user","content":"New synergies will help drive top-line growth."},
       {"role":"system","name":"example_assistant","content":"Things working well together will increase revenue."},
       {"role":"system","name":"example_user","content":"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
       {"role":"system","name":"example_assistant","content":"Let's talk later when we're less busy about how to do better."},
       {"role":"user","content":"This late pivot means we don't have time to boil the ocean for the client deliverable."}""";
  String paragraph = "The quarterly report shows revenue growth of 12% across all regions, driven by new customers. ";
  String longText = paragraph.repeat(200);
  ChatRequest shortRequest = request("gpt-4o", messages + "]");
  ChatRequest longRequest = request("gpt-4o", messages + ",{\"role\":\"user\",\"content\":\"" + longText + "\"}]");

  long t0 = System.nanoTime();
  TokenEstimator estimator = new TokenEstimator(4096);
  long t1 = System.nanoTime();
  long firstO200k = estimator.promptTokens(shortRequest);
  long t2 = System.nanoTime();
  long firstCl100k = estimator.promptTokens(shortRequest, "gpt-4");
  long t3 = System.nanoTime();

  double[] shortMs = time(estimator, shortRequest);
  double[] longMs = time(estimator, longRequest);
  System.out.printf(
      "new TokenEstimator %.3f ms; first gpt-4o count %.1f ms (%d tokens); first gpt-4 count %.1f ms (%d tokens)%n",
      ms(t1 - t0), ms(t2 - t1), firstO200k, ms(t3 - t2), firstCl100k);
  System.out.printf(
      "short request (%d tokens): median %.3f ms, p99 %.3f ms; long request (%d tokens, %d chars): median %.3f ms, p99 %.3f ms%n",
      estimator.promptTokens(shortRequest), shortMs[0], shortMs[1],
      estimator.promptTokens(longRequest), longText.length(), longMs[0], longMs[1]);
}

ChatRequest request(String model, String messages) throws Exception {
  String json = "{\"model\":\"" + model + "\",\"messages\":" + messages + "}";
  return ChatRequestValidator.validate(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
}

double[] time(TokenEstimator estimator, ChatRequest request) {
  for (int i = 0; i < 500; i++) {
    estimator.promptTokens(request);
  }
  double[] samples = new double[2_000];
  for (int i = 0; i < samples.length; i++) {
    long start = System.nanoTime();
    estimator.promptTokens(request);
    samples[i] = ms(System.nanoTime() - start);
  }
  Arrays.sort(samples);
  return new double[] {samples[samples.length / 2], samples[(int) Math.ceil(samples.length * 0.99) - 1]};
}

double ms(long nanos) {
  return nanos / 1e6;
}
