package dev.tollgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chat request shape: each invalid body names its offending field; valid ones pass whole. */
class ChatRequestValidatorTest {

  private static final String BASE = "{'model':'chat','messages':[{'role':'user','content':'hi'}]}";

  /** JSON written with single quotes, for readable tables. */
  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'));
  }

  /** A valid body with {@code overrides} (top-level fields) laid over it. */
  private static JsonNode with(String overrides) {
    ObjectNode body = (ObjectNode) json(BASE);
    body.setAll((ObjectNode) json(overrides));
    return body;
  }

  private static Arguments bad(String overrides, String param) {
    return Arguments.of(overrides, param);
  }

  static Stream<Arguments> invalidBodies() {
    String user = "{'role':'user','content':'hi'}";
    return Stream.of(
        bad("{'model':null}", "model"),
        bad("{'model':''}", "model"),
        bad("{'model':42}", "model"),
        bad("{'messages':null}", "messages"),
        bad("{'messages':[]}", "messages"),
        bad("{'messages':'hi'}", "messages"),
        bad("{'messages':['hi']}", "messages[0]"),
        bad("{'messages':[{'content':'hi'}]}", "messages[0].role"),
        bad("{'messages':[" + user + ",{'role':'robot','content':'x'}]}", "messages[1].role"),
        bad("{'messages':[{'role':7,'content':'x'}]}", "messages[0].role"),
        bad("{'messages':[{'role':'user','content':'x','name':5}]}", "messages[0].name"),
        bad("{'messages':[{'role':'user'}]}", "messages[0].content"),
        bad("{'messages':[{'role':'system','content':null}]}", "messages[0].content"),
        bad("{'messages':[{'role':'user','content':5}]}", "messages[0].content"),
        bad("{'messages':[{'role':'user','content':[{'text':'x'}]}]}", "messages[0].content[0].type"),
        bad("{'messages':[{'role':'user','content':['x']}]}", "messages[0].content[0].type"),
        bad("{'messages':[{'role':'user','content':[{'type':'text'}]}]}", "messages[0].content[0].text"),
        bad("{'messages':[{'role':'user','content':[{'type':'text','text':'a'},{'type':'image_url','image_url':'https://x/y.png'}]}]}",
            "messages[0].content[1].image_url.url"),
        bad("{'messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{}}]}]}",
            "messages[0].content[0].input_audio.data"),
        bad("{'messages':[" + user + ",{'role':'tool','content':'42'}]}", "messages[1].tool_call_id"),
        bad("{'messages':[" + user + ",{'role':'tool','tool_call_id':'c1'}]}", "messages[1].content"),
        bad("{'messages':[" + user + ",{'role':'assistant'}]}", "messages[1].content"),
        bad("{'messages':[" + user + ",{'role':'assistant','content':null,'tool_calls':{}}]}", "messages[1].tool_calls"),
        bad("{'messages':[" + user + ",{'role':'assistant','tool_calls':[{'type':'function','function':{'name':'f','arguments':'{}'}}]}]}",
            "messages[1].tool_calls[0].id"),
        bad("{'messages':[" + user + ",{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'arguments':'{}'}}]}]}",
            "messages[1].tool_calls[0].function.name"),
        bad("{'messages':[" + user + ",{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':{}}}]}]}",
            "messages[1].tool_calls[0].function.arguments"),
        bad("{'temperature':2.5}", "temperature"),
        bad("{'temperature':-0.1}", "temperature"),
        bad("{'temperature':'warm'}", "temperature"),
        bad("{'top_p':1.5}", "top_p"),
        bad("{'presence_penalty':-2.5}", "presence_penalty"),
        bad("{'frequency_penalty':3}", "frequency_penalty"),
        bad("{'n':0}", "n"),
        bad("{'n':129}", "n"),
        bad("{'max_tokens':0}", "max_tokens"),
        bad("{'max_tokens':1.5}", "max_tokens"),
        bad("{'max_completion_tokens':'100'}", "max_completion_tokens"),
        bad("{'seed':1.5}", "seed"),
        bad("{'top_logprobs':21}", "top_logprobs"),
        bad("{'stream':'yes'}", "stream"),
        bad("{'logprobs':1}", "logprobs"),
        bad("{'parallel_tool_calls':'no'}", "parallel_tool_calls"),
        bad("{'user':123}", "user"),
        bad("{'stop':['a','b','c','d','e']}", "stop"),
        bad("{'stop':5}", "stop"),
        bad("{'stop':['a',5]}", "stop[1]"),
        bad("{'response_format':'json'}", "response_format"),
        bad("{'response_format':{'type':'xml'}}", "response_format.type"),
        bad("{'response_format':{}}", "response_format.type"),
        bad("{'response_format':{'type':'json_schema','json_schema':{}}}", "response_format.json_schema.name"),
        bad("{'tools':{}}", "tools"),
        bad("{'tools':[{'function':{'name':'f'}}]}", "tools[0].type"),
        bad("{'tools':[{'type':'function','function':{}}]}", "tools[0].function.name"),
        bad("{'tools':[{'type':'function','function':{'name':'has space'}}]}", "tools[0].function.name"),
        bad("{'tools':[{'type':'function','function':{'name':'" + "f".repeat(65) + "'}}]}", "tools[0].function.name"),
        bad("{'tools':[{'type':'function','function':{'name':'ok'}},{'type':'function','function':{'name':'f','parameters':'{}'}}]}",
            "tools[1].function.parameters"),
        bad("{'tool_choice':'sometimes'}", "tool_choice"),
        bad("{'tool_choice':{'function':{'name':'f'}}}", "tool_choice"),
        bad("{'stream_options':{'include_usage':true}}", "stream_options"),
        bad("{'stream':false,'stream_options':{'include_usage':true}}", "stream_options"),
        bad("{'stream':true,'stream_options':'usage'}", "stream_options"),
        bad("{'stream':true,'stream_options':{'include_usage':'true'}}", "stream_options.include_usage"));
  }

  @ParameterizedTest(name = "{1} <- {0}")
  @MethodSource("invalidBodies")
  void anInvalidBodyIsRefusedNamingTheField(String overrides, String param) {
    ApiException thrown = assertThrows(ApiException.class, () -> ChatRequestValidator.validate(with(overrides)));

    ApiError error = thrown.error();
    assertEquals(400, error.status());
    assertEquals(ApiError.INVALID_REQUEST, error.type());
    assertEquals(param, error.param());
    assertTrue(error.message().contains("'" + param + "'"), error.message());
  }

  @Test
  void aMissingFieldIsReportedAsMissing() {
    ApiError error =
        assertThrows(ApiException.class, () -> ChatRequestValidator.validate(json("{'model':'chat'}"))).error();

    assertEquals("missing_required_parameter", error.code());
    assertEquals("Missing required parameter: 'messages'.", error.message());
  }

  @Test
  void aBodyThatIsNotAnObjectIsRefused() {
    ApiError error = assertThrows(ApiException.class, () -> ChatRequestValidator.validate(json("[1,2]"))).error();

    assertEquals(400, error.status());
    assertNull(error.param());
  }

  @Test
  void aLongOffendingValueIsCutInTheMessage() {
    String longModel = "m".repeat(500);
    ApiError error =
        assertThrows(ApiException.class, () -> ChatRequestValidator.validate(with("{'temperature':'" + longModel + "'}")))
            .error();

    assertTrue(error.message().length() < 200, error.message());
    assertTrue(error.message().contains("..."), error.message());
  }

  static Stream<String> validBodies() {
    return Stream.of(
        BASE,
        "{'model':'chat','messages':[{'role':'system','content':'be brief'},{'role':'developer','content':'rules'},"
            + "{'role':'user','name':'ann','content':'hi'}]}",
        "{'model':'chat','messages':[{'role':'user','content':[{'type':'text','text':'what is this?'},"
            + "{'type':'image_url','image_url':{'url':'https://example.com/cat.png','detail':'low'}},"
            + "{'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA'}}]}]}",
        "{'model':'chat','messages':[{'role':'user','content':'weather?'},"
            + "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function',"
            + "'function':{'name':'get_weather','arguments':'{\\'city\\':\\'Oslo\\'}'}}]},"
            + "{'role':'tool','tool_call_id':'call_1','content':'sunny'}]}",
        "{'model':'chat','messages':[{'role':'user','content':'x'},{'role':'assistant','refusal':'no'}]}",
        "{'model':'chat','messages':[{'role':'user','content':[{'type':'file','file':{'file_id':'f1'}}]}]}",
        "{'model':'chat','messages':[{'role':'user','content':'hi'}],'temperature':0,'top_p':1,'n':1,"
            + "'max_tokens':1,'max_completion_tokens':4096,'seed':-7,'presence_penalty':-2,'frequency_penalty':2,"
            + "'stop':['\\n','END'],'logprobs':true,'top_logprobs':20,'user':'u-1','parallel_tool_calls':false,"
            + "'response_format':{'type':'json_schema','json_schema':{'name':'answer','schema':{}}},"
            + "'tools':[{'type':'function','function':{'name':'get_weather','parameters':{'type':'object'}}}],"
            + "'tool_choice':{'type':'function','function':{'name':'get_weather'}}}",
        "{'model':'chat','messages':[{'role':'user','content':'hi'}],'stop':'END','tool_choice':'auto',"
            + "'temperature':null,'tools':null}",
        "{'model':'chat','messages':[{'role':'user','content':'hi'}],'stream':true,"
            + "'stream_options':{'include_usage':true}}");
  }

  @ParameterizedTest
  @MethodSource("validBodies")
  void aValidBodyPasses(String body) {
    JsonNode parsed = json(body);

    ChatRequest request = ChatRequestValidator.validate(parsed);

    assertEquals(parsed, request.body());
  }

  @Test
  void unknownFieldsAreKeptForTheUpstream() {
    ChatRequest request =
        ChatRequestValidator.validate(
            with("{'reasoning_effort':'low','metadata':{'team':'search'},'x_vendor_flag':[1,2]}"));

    assertEquals("low", request.body().path("reasoning_effort").asText());
    assertEquals("search", request.body().path("metadata").path("team").asText());
    assertEquals(2, request.body().path("x_vendor_flag").size());
  }

  @Test
  void theRequestReadsItsStreamingAndAllowanceFields() {
    ChatRequest streaming =
        ChatRequestValidator.validate(
            with("{'stream':true,'stream_options':{'include_usage':true},'max_tokens':10,'max_completion_tokens':20}"));
    ChatRequest plain = ChatRequestValidator.validate(with("{'max_tokens':10}"));
    ChatRequest unbounded = ChatRequestValidator.validate(json(BASE));

    assertTrue(streaming.stream());
    assertTrue(streaming.includeUsage());
    assertEquals(20, streaming.maxCompletionTokens(), "max_completion_tokens wins over max_tokens");
    assertFalse(plain.stream());
    assertFalse(plain.includeUsage());
    assertEquals(10, plain.maxCompletionTokens());
    assertEquals(-1, unbounded.maxCompletionTokens());
    assertEquals("chat", unbounded.model());
  }

  @Test
  void theLastUserMessageIsReadWithItsTextPartsJoined() {
    ChatRequest request =
        ChatRequestValidator.validate(
            json(
                "{'model':'chat','messages':[{'role':'user','content':'first'},{'role':'assistant','content':'ok'},"
                    + "{'role':'user','content':[{'type':'text','text':'line one'},"
                    + "{'type':'image_url','image_url':{'url':'https://x/y.png'}},{'type':'text','text':'line two'}]},"
                    + "{'role':'assistant','content':'later'}]}"));

    assertEquals("line one\nline two", request.lastUserText());
  }
}
