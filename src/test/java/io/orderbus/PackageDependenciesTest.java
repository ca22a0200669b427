package io.orderbus;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * How the feature packages may depend on each other, checked on the compiled classes (imports, fully qualified
 * names and calls alike): no circle, and the published language ({@code events}) and the infrastructure
 * ({@code messaging}) depend on no service.
 */
class PackageDependenciesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void read() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.orderbus");
  }

  @Test
  void noPackageImportsOneThatImportsItBack() {
    assertNoViolation(slices().matching("io.orderbus.(*)..").should().beFreeOfCycles());
  }

  @Test
  void thePublishedLanguageAndTheMessagingLayerKnowNoService() {
    assertNoViolation(noClasses().that().resideInAnyPackage("io.orderbus.events..", "io.orderbus.messaging..")
        .should().dependOnClassesThat().resideInAnyPackage("io.orderbus.order..", "io.orderbus.inventory..",
            "io.orderbus.email..", "io.orderbus.user..", "io.orderbus.gateway..", "io.orderbus.node.."));
  }

  /** What a service shows other packages: its API, its contract, and the types those speak of. */
  @ParameterizedTest
  @CsvSource({
      "order, OrderApi OrderContract Order OrderMode OrderStatus EmailStatus",
      "inventory, InventoryApi InventoryContract",
      "email, EmailApi EmailContract EmailAddress HeaderSafeText",
      "user, UserApi UserContract"})
  void otherPackagesReachAServiceOnlyThroughWhatItShows(String service, String shown) {
    // The node wires the service's verticle; everyone else asks it through its API.
    String own = "io.orderbus." + service;
    Set<String> allowed = Set.of(shown.split(" "));
    DescribedPredicate<JavaClass> internals = DescribedPredicate.describe(own + " beyond " + allowed,
        c -> c.getPackageName().equals(own) && !allowed.contains(c.getSimpleName())
            && !(c.getEnclosingClass().isPresent() && allowed.contains(c.getEnclosingClass().get().getSimpleName())));
    assertNoViolation(noClasses().that().resideOutsideOfPackages(own + "..", "io.orderbus.node..")
        .should().dependOnClassesThat(internals));
  }

  /** Evaluates {@code rule} on the project's classes; a violation fails with ArchUnit's report of each one. */
  private static void assertNoViolation(ArchRule rule) {
    EvaluationResult result = rule.evaluate(classes);
    assertThat(result.getFailureReport().getDetails()).as(rule.getDescription()).isEmpty();
  }
}
