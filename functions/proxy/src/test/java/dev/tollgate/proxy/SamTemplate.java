package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A SAM template read for tests: YAML with CloudFormation's short-form tags ({@code !Ref},
 * {@code !Sub}, {@code !GetAtt}, ...) turned into their long form, as CloudFormation does, and a
 * small evaluator for the intrinsic functions the template uses, so a test can compare concrete
 * names and ARNs. An intrinsic it does not know fails the test rather than being guessed.
 */
final class SamTemplate {

  static final String ACCOUNT = "123456789012";
  static final String PARTITION = "aws";
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

  private final JsonNode root;
  private final Map<String, String> parameters;
  private final String region;

  private SamTemplate(JsonNode root, Map<String, String> parameters, String region) {
    this.root = root;
    this.parameters = parameters;
    this.region = region;
  }

  static SamTemplate read(Path file) throws IOException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Object document;
    try (Reader reader = Files.newBufferedReader(file)) {
      document = new Yaml(new CloudFormationConstructor(options)).load(reader);
    }
    return new SamTemplate(Json.mapper().valueToTree(document), Map.of(), ProxyTestBed.REGION);
  }

  /** The same template as deployed with these parameter values (others keep their defaults). */
  SamTemplate withParameters(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(parameters);
    merged.putAll(overrides);
    return new SamTemplate(root, Map.copyOf(merged), region);
  }

  JsonNode root() {
    return root;
  }

  JsonNode resource(String logicalId) {
    JsonNode resource = root.path("Resources").path(logicalId);
    if (resource.isMissingNode()) {
      throw new AssertionError("the template has no resource " + logicalId);
    }
    return resource;
  }

  /** Logical ids of the resources of {@code type}, in template order. */
  List<String> resourcesOfType(String type) {
    List<String> ids = new ArrayList<>();
    root.path("Resources").properties().forEach(e -> {
      if (e.getValue().path("Type").asText().equals(type)) {
        ids.add(e.getKey());
      }
    });
    return ids;
  }

  /** The logical id a {@code {"Ref": id}} or {@code {"Fn::GetAtt": [id, attr]}} value names. */
  static String referencedId(JsonNode value) {
    if (value.has("Ref")) {
      return value.get("Ref").asText();
    }
    if (value.has("Fn::GetAtt")) {
      return value.get("Fn::GetAtt").get(0).asText();
    }
    throw new AssertionError("expected a Ref or Fn::GetAtt, found " + value);
  }

  /** Evaluates a value as CloudFormation would for this account, region and parameters. */
  String evaluate(JsonNode value) {
    if (value.isTextual() || value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    if (value.isObject() && value.size() == 1) {
      String function = value.fieldNames().next();
      JsonNode argument = value.get(function);
      return switch (function) {
        case "Ref" -> ref(argument.asText());
        case "Fn::GetAtt" -> getAtt(argument.get(0).asText(), argument.get(1).asText());
        case "Fn::Sub" -> sub(argument);
        case "Fn::Join" -> join(argument);
        default -> throw new AssertionError("the template test cannot evaluate " + function + ": " + value);
      };
    }
    throw new AssertionError("not a scalar value: " + value);
  }

  /** A value that may be one item or a list, as IAM's Action and Resource, evaluated. */
  List<String> evaluateAll(JsonNode value) {
    List<String> values = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(v -> values.add(evaluate(v)));
    } else if (!value.isMissingNode()) {
      values.add(evaluate(value));
    }
    return values;
  }

  private String ref(String name) {
    switch (name) {
      case "AWS::Partition" -> {
        return PARTITION;
      }
      case "AWS::Region" -> {
        return region;
      }
      case "AWS::AccountId" -> {
        return ACCOUNT;
      }
      case "AWS::StackName" -> {
        return "tollgate-test";
      }
      case "AWS::URLSuffix" -> {
        return "amazonaws.com";
      }
      default -> {
        // handled below
      }
    }
    JsonNode parameter = root.path("Parameters").path(name);
    if (!parameter.isMissingNode()) {
      String given = parameters.get(name);
      if (given != null) {
        return given;
      }
      if (!parameter.has("Default")) {
        throw new AssertionError("parameter " + name + " has no default and no value");
      }
      return parameter.get("Default").asText();
    }
    JsonNode resource = resource(name);
    return switch (resource.path("Type").asText()) {
      case "AWS::DynamoDB::Table" -> evaluate(resource.path("Properties").path("TableName"));
      case "AWS::Logs::LogGroup" -> evaluate(resource.path("Properties").path("LogGroupName"));
      // An SQS queue's Ref is its URL.
      case "AWS::SQS::Queue" -> "https://sqs." + region + ".amazonaws.com/" + ACCOUNT + "/" + queueName(name);
      // Physical ids CloudFormation generates: stand-ins that name the resource.
      default -> name + "-physical-id";
    };
  }

  private String queueName(String id) {
    JsonNode name = resource(id).path("Properties").path("QueueName");
    return name.isMissingNode() ? id + "-physical-id" : evaluate(name);
  }

  private String getAtt(String id, String attribute) {
    JsonNode resource = resource(id);
    String type = resource.path("Type").asText();
    String prefix = "arn:" + PARTITION + ":";
    return switch (type + "." + attribute) {
      case "AWS::DynamoDB::Table.Arn" -> prefix + "dynamodb:" + region + ":" + ACCOUNT + ":table/" + ref(id);
      case "AWS::Logs::LogGroup.Arn" -> prefix + "logs:" + region + ":" + ACCOUNT + ":log-group:" + ref(id) + ":*";
      case "AWS::IAM::Role.Arn" -> prefix + "iam::" + ACCOUNT + ":role/" + ref(id);
      case "AWS::SQS::Queue.Arn" -> prefix + "sqs:" + region + ":" + ACCOUNT + ":" + queueName(id);
      case "AWS::SQS::Queue.QueueName" -> queueName(id);
      case "AWS::Serverless::Function.Arn", "AWS::Lambda::Function.Arn" ->
          prefix + "lambda:" + region + ":" + ACCOUNT + ":function:" + ref(id);
      default -> throw new AssertionError("the template test cannot evaluate Fn::GetAtt " + id + "." + attribute);
    };
  }

  private String sub(JsonNode argument) {
    String text;
    Map<String, String> locals = new HashMap<>();
    if (argument.isArray()) {
      text = argument.get(0).asText();
      argument.get(1).properties().forEach(e -> locals.put(e.getKey(), evaluate(e.getValue())));
    } else {
      text = argument.asText();
    }
    Matcher matcher = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String replacement;
      if (locals.containsKey(variable)) {
        replacement = locals.get(variable);
      } else if (variable.contains(".")) {
        String[] parts = variable.split("\\.", 2);
        replacement = getAtt(parts[0], parts[1]);
      } else {
        replacement = ref(variable);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private String join(JsonNode argument) {
    List<String> parts = new ArrayList<>();
    argument.get(1).forEach(part -> parts.add(evaluate(part)));
    return String.join(argument.get(0).asText(), parts);
  }

  /** Builds {@code {"Ref": x}} and {@code {"Fn::Name": x}} from the short-form tags. */
  private static final class CloudFormationConstructor extends SafeConstructor {

    private static final List<String> FUNCTIONS =
        List.of(
            "Ref", "Condition", "Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "Not", "And", "Or",
            "FindInMap", "Base64", "Cidr", "ImportValue", "GetAZs", "Transform", "ToJsonString", "Length");

    CloudFormationConstructor(LoaderOptions options) {
      super(options);
      for (String function : FUNCTIONS) {
        this.yamlConstructors.put(new Tag("!" + function), new ConstructIntrinsic(function));
      }
    }

    private final class ConstructIntrinsic extends AbstractConstruct {
      private final String key;
      private final boolean getAtt;

      ConstructIntrinsic(String function) {
        this.key = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
        this.getAtt = function.equals("GetAtt");
      }

      @Override
      public Object construct(Node node) {
        Object argument =
            switch (node) {
              case ScalarNode scalar -> {
                String text = constructScalar(scalar);
                // !GetAtt Resource.Attribute is short for [Resource, Attribute].
                yield getAtt ? List.of(text.split("\\.", 2)) : text;
              }
              case SequenceNode sequence -> constructSequence(sequence);
              case MappingNode mapping -> constructMapping(mapping);
              default -> throw new IllegalArgumentException("unexpected YAML node " + node);
            };
        Map<String, Object> intrinsic = new LinkedHashMap<>();
        intrinsic.put(key, argument);
        return intrinsic;
      }
    }
  }

  /**
   * The policy statements of an IAM role resource, across its inline policies and the managed
   * policies of this template it attaches; a managed policy from elsewhere fails the test.
   */
  List<JsonNode> roleStatements(String roleId) {
    JsonNode role = resource(roleId);
    if (!role.path("Type").asText().equals("AWS::IAM::Role")) {
      throw new AssertionError(roleId + " is not an AWS::IAM::Role");
    }
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode policy : role.path("Properties").path("Policies")) {
      addStatements(policy.path("PolicyDocument"), statements);
    }
    for (JsonNode arn : role.path("Properties").path("ManagedPolicyArns")) {
      JsonNode managed = resource(referencedId(arn));
      if (!managed.path("Type").asText().equals("AWS::IAM::ManagedPolicy")) {
        throw new AssertionError(roleId + " attaches " + arn + ", not a managed policy of this template");
      }
      addStatements(managed.path("Properties").path("PolicyDocument"), statements);
    }
    return statements;
  }

  private static void addStatements(JsonNode document, List<JsonNode> into) {
    JsonNode statement = document.path("Statement");
    if (statement.isArray()) {
      statement.forEach(into::add);
    } else if (statement.isObject()) {
      into.add(statement);
    }
  }

  /** Every IAM statement in the template: roles, managed and inline policies, SAM Policies. */
  List<JsonNode> allStatements() {
    List<JsonNode> statements = new ArrayList<>();
    root.path("Resources").forEach(resource -> collectStatements(resource.path("Properties"), statements));
    return statements;
  }

  private static void collectStatements(JsonNode node, List<JsonNode> into) {
    if (node.isObject()) {
      JsonNode statement = node.get("Statement");
      if (statement != null && statement.isArray()) {
        statement.forEach(into::add);
      } else if (statement != null && statement.isObject()) {
        into.add(statement);
      }
      ((ObjectNode) node).properties().forEach(e -> {
        if (!e.getKey().equals("Statement")) {
          collectStatements(e.getValue(), into);
        }
      });
    } else if (node.isArray()) {
      ((ArrayNode) node).forEach(element -> collectStatements(element, into));
    }
  }
}
