package dev.tollgate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.Json;
import dev.tollgate.auth.ApiKeys;
import dev.tollgate.aws.DynamoDbConfigWriter;
import dev.tollgate.config.ConfigItem;
import dev.tollgate.config.ConfigValidator;
import dev.tollgate.config.ItemKeys;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tollgate keys create}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
    subcommands = KeysCommand.Create.class)
final class KeysCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an API key, store only its SHA-256, and print the key once.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin TableOptions table;

    @Option(names = "--consumer", required = true, description = "who the key is for")
    String consumer;

    @Option(names = "--group", defaultValue = "default", description = "consumer group (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--models", split = ",", defaultValue = "*",
        description = "model aliases the key may use, comma-separated; * for all (default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--description", description = "a note stored with the key")
    String description;

    @Override
    public Integer call() {
      String key = ApiKeys.generate();
      ConfigItem item = item(ApiKeys.hash(key));
      var errors = new ConfigValidator(ConfigFile.catalog()).validate(List.of(item), Instant.now()).errors();
      PrintWriter out = spec.commandLine().getOut();
      if (!errors.isEmpty()) {
        errors.forEach(error -> out.println(error.message().replace(item.location() + ": ", "")));
        return 2;
      }
      try (var client = table.client()) {
        if (!new DynamoDbConfigWriter(client, table.configTable()).insert(item)) {
          throw new IllegalStateException("a key with this hash already exists; run the command again");
        }
      }
      out.println("Created an API key for consumer '" + consumer + "' (group '" + group + "', models " + models + ").");
      out.println("It is shown only now; only its SHA-256 is stored:");
      out.println(key);
      return 0;
    }

    private ConfigItem item(String hash) {
      ObjectNode attributes = Json.object();
      attributes.put("consumer", consumer);
      attributes.put("group", group);
      models.forEach(attributes.putArray("models")::add);
      attributes.put("enabled", true);
      attributes.put("createdAt", Instant.now().toString());
      if (description != null) {
        attributes.put("description", description);
      }
      return new ConfigItem(ItemKeys.keyPk(hash), ItemKeys.KEY_SK, attributes, "new key");
    }
  }
}
