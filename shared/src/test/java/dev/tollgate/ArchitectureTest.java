package dev.tollgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.tollgate.aws.DynamoDbConfigSource;
import dev.tollgate.aws.DynamoDbQuotaStore;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.limit.QuotaStore;
import dev.tollgate.provider.openai.OpenAiCompatibleProvider;
import dev.tollgate.provider.openai.archfixture.ProviderReachingIntoAws;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core stays cloud-neutral: only the adapters in {@code dev.tollgate.aws} touch the AWS SDK,
 * Lambda libraries or Powertools, and no provider adapter reaches into them.
 */
class ArchitectureTest {

  static final ArchRule ONLY_AWS_ADAPTERS_USE_AWS_LIBRARIES =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.tollgate.aws..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("software.amazon.awssdk..", "com.amazonaws..", "software.amazon.lambda..")
          .because("the core must run unchanged outside AWS (dev server, tests, other clouds)")
          .allowEmptyShould(false);

  static final ArchRule PROVIDERS_DO_NOT_USE_AWS_ADAPTERS =
      noClasses()
          .that()
          .resideInAPackage("dev.tollgate.provider..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.tollgate.aws..")
          .because("a provider gets its credential through CredentialResolver, wherever it is kept")
          .allowEmptyShould(false);

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tollgate");
  }

  @Test
  void onlyTheAwsAdaptersUseAwsLibraries() {
    ONLY_AWS_ADAPTERS_USE_AWS_LIBRARIES.check(production);
  }

  @Test
  void theOpenAiProviderDoesNotUseTheAwsAdapters() {
    PROVIDERS_DO_NOT_USE_AWS_ADAPTERS.check(production);
  }

  /** Guards against a vacuous pass: the import holds the code the rules are about, and no tests. */
  @Test
  void theRulesSeeTheProductionCodeAndItsAwsDependencies() {
    assertTrue(production.contain(Gateway.class));
    assertTrue(production.contain(OpenAiCompatibleProvider.class));
    assertTrue(production.contain(DynamoDbConfigSource.class));
    assertTrue(production.contain(QuotaStore.class));
    assertTrue(production.contain(DynamoDbQuotaStore.class));
    assertFalse(production.contain(ArchitectureTest.class));
    assertTrue(
        production.get(DynamoDbConfigSource.class).getDirectDependenciesFromSelf().stream()
            .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("software.amazon.awssdk.")),
        "the importer sees the adapters' AWS SDK dependencies");
  }

  @Test
  void theRulesCatchAClassThatBreaksThem() {
    JavaClasses offender = new ClassFileImporter().importClasses(ProviderReachingIntoAws.class);

    assertTrue(ONLY_AWS_ADAPTERS_USE_AWS_LIBRARIES.evaluate(offender).hasViolation());
    assertTrue(PROVIDERS_DO_NOT_USE_AWS_ADAPTERS.evaluate(offender).hasViolation());
  }
}
