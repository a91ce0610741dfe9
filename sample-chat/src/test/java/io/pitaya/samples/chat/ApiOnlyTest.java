package io.pitaya.samples.chat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.pitaya.spring.test.PitayaArchitecture;
import org.junit.jupiter.api.Test;

/** The sample is written against pitaya's API packages only, as a game should be. */
class ApiOnlyTest {

    @Test
    void theSampleUsesOnlyPitayaApi() {
        PitayaArchitecture.gameCodeUsesOnlyPitayaApi().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pitaya.samples.chat"));
    }
}
