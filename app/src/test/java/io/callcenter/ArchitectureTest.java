package io.callcenter;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The boundaries the design depends on, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.callcenter");

    @Test
    void feature_modules_only_use_each_others_public_api_and_have_no_cycles() {
        ApplicationModules.of(CallCenterApplication.class).verify();
    }

    @Test
    void only_the_ari_adapter_knows_ari4java() {
        noClasses().that().resideOutsideOfPackage("io.callcenter.asterisk.ari..")
                .should().dependOnClassesThat().resideInAPackage("ch.loway.oss.ari4java..")
                .check(CLASSES);
    }

    @Test
    void generated_jooq_classes_never_leave_the_repositories() {
        noClasses().that().resideOutsideOfPackage("io.callcenter.db..")
                .and().haveSimpleNameNotEndingWith("Repository")
                .should().dependOnClassesThat().resideInAPackage("io.callcenter.db..")
                .check(CLASSES);
    }

    @Test
    void the_call_engine_reaches_asterisk_only_through_the_port() {
        noClasses().that().resideOutsideOfPackage("io.callcenter.asterisk..")
                .should().dependOnClassesThat().resideInAPackage("io.callcenter.asterisk.ari..")
                .check(CLASSES);
    }

    @Test
    void identity_never_reaches_up_into_the_agent_module() {
        // Identity is below agent: what a login shows of an agent comes through identity's own AgentExtensions port.
        noClasses().that().resideInAPackage("io.callcenter.identity..")
                .should().dependOnClassesThat().resideInAPackage("io.callcenter.agent..")
                .check(CLASSES);
    }
}
