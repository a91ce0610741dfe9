package io.pitaya.spring.test;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Architecture rules for a game's own code, checked with ArchUnit ({@code com.tngtech.archunit:archunit} on the test
 * class path):
 *
 * <pre>{@code
 * PitayaArchitecture.gameCodeUsesOnlyPitayaApi()
 *         .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.mygame"));
 * }</pre>
 */
public final class PitayaArchitecture {

    private PitayaArchitecture() {
    }

    /** @return the rule that game code depends on pitaya's API packages only, never on {@code io.pitaya.spring.internal} */
    public static ArchRule gameCodeUsesOnlyPitayaApi() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("io.pitaya.spring.internal..")
                .because("everything under io.pitaya.spring.internal may change in any release; the API packages are "
                        + "io.pitaya.spring and its component, session, group, dispatch, timer, cluster, acceptor and metrics packages");
    }
}
