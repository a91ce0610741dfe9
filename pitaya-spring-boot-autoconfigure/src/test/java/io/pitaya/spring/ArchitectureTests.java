package io.pitaya.spring;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.context.annotation.Condition;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direction of dependencies, as docs/ARCHITECTURE.md draws it: protocol ← core ← auto-configuration,
 * API packages ← internal packages, no cycles between packages.
 */
class ArchitectureTests {

    /** Where the API a game developer touches ends: everything of the server that is not internal or configuration. */
    static final String[] API = {"io.pitaya.spring", "io.pitaya.spring.acceptor..", "io.pitaya.spring.cluster..",
            "io.pitaya.spring.component..", "io.pitaya.spring.dispatch..", "io.pitaya.spring.group..", "io.pitaya.spring.metrics..",
            "io.pitaya.spring.session..", "io.pitaya.spring.timer.."};
    static final String INTERNAL = "io.pitaya.spring.internal..";
    static final String[] CONFIGURATION = {"io.pitaya.spring.autoconfigure..", "io.pitaya.spring.actuate.."};

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pitaya");

    @Test
    void protocolKnowsNeitherTheServerNorSpring() {
        noClasses().that().resideInAnyPackage("io.pitaya", "io.pitaya.protocol..", "io.pitaya.serialize..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pitaya.spring..", "io.pitaya.client..", "org.springframework..")
                .check(CLASSES);
    }

    @Test
    void coreDoesNotUseSpringBoot() {
        noClasses().that().resideInAnyPackage(API).or().resideInAPackage(INTERNAL)
                .should().dependOnClassesThat().resideInAPackage("org.springframework.boot..")
                .check(CLASSES);
    }

    @Test
    void coreDoesNotDependOnItsAutoConfiguration() {
        noClasses().that().resideInAnyPackage(API).or().resideInAPackage(INTERNAL)
                .should().dependOnClassesThat().resideInAnyPackage(CONFIGURATION)
                .check(CLASSES);
    }

    @Test
    void apiDoesNotExposeInternals() {
        noClasses().that().resideInAnyPackage(API)
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .check(CLASSES);
    }

    @Test
    void autoConfigurationPackageHoldsOnlyConfiguration() {
        Set<String> nestedProperties = CLASSES.stream().filter(type -> type.isAnnotatedWith(ConfigurationProperties.class))
                .flatMap(type -> type.getFields().stream())
                .filter(field -> field.isAnnotatedWith(NestedConfigurationProperty.class))
                .map(field -> field.getRawType().getName()).collect(Collectors.toSet());
        DescribedPredicate<JavaClass> configuration = DescribedPredicate.describe(
                "an auto-configuration, configuration properties, a condition, a conditional annotation or an environment post-processor",
                type -> type.isAnnotatedWith(AutoConfiguration.class) || type.isAnnotatedWith(ConfigurationProperties.class)
                        || nestedProperties.contains(type.getName())
                        || type.isAssignableTo(Condition.class) || type.isAssignableTo(EnvironmentPostProcessor.class) || type.isAnnotation());
        classes().that().resideInAPackage("io.pitaya.spring.autoconfigure").and().arePublic().and().areTopLevelClasses()
                .should(ArchConditions.be(configuration))
                .check(CLASSES);
        classes().that().resideInAPackage("io.pitaya.spring.autoconfigure").and().areAnnotatedWith(AutoConfiguration.class)
                .should().bePublic().andShould().haveModifier(JavaModifier.FINAL)
                .check(CLASSES);
    }

    @Test
    void everyPackageDeclaresItsNullness() {
        // JSpecify, as Spring Framework 7 and Boot 4: nothing is null unless marked @Nullable. Generated protobuf code aside.
        List<String> unmarked = CLASSES.stream()
                .filter(type -> !type.getPackageName().startsWith("io.pitaya.protocol.proto"))
                .map(JavaClass::getPackage).distinct()
                .filter(pkg -> !pkg.isAnnotatedWith(NullMarked.class))
                .map(JavaPackage::getName).sorted().toList();
        assertThat(unmarked).as("packages without @NullMarked").isEmpty();
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.pitaya.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
