package dev.tollgate.cli;

import dev.tollgate.aws.AwsClients;
import dev.tollgate.aws.TableSchemas;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Where the tables are: region, optional endpoint, and the table name prefix. */
final class TableOptions {

  @Option(names = "--region", description = "AWS region (default: $AWS_REGION)")
  String region;

  @Option(names = "--endpoint", description = "DynamoDB endpoint URL, e.g. http://127.0.0.1:8000 for DynamoDB Local")
  URI endpoint;

  @Option(
      names = "--table-prefix",
      defaultValue = "tollgate-",
      description = "prefix of the table names, as the stack's TablePrefix parameter (default: ${DEFAULT-VALUE})")
  String tablePrefix;

  String configTable() {
    return tablePrefix + TableSchemas.CONFIG;
  }

  String countersTable() {
    return tablePrefix + TableSchemas.COUNTERS;
  }

  String auditTable() {
    return tablePrefix + TableSchemas.AUDIT;
  }

  String knowledgeTable() {
    return tablePrefix + TableSchemas.KNOWLEDGE;
  }

  DynamoDbClient client() {
    String name = region != null ? region : System.getenv("AWS_REGION");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("no AWS region: pass --region or set AWS_REGION");
    }
    return AwsClients.dynamoDb(Region.of(name), Optional.ofNullable(endpoint));
  }
}
