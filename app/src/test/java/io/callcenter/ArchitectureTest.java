package io.callcenter;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The boundaries the design depends on, checked on the compiled classes (and, for names, on the sources). */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.callcenter");

    @Test
    void feature_modules_only_use_each_others_public_api_and_have_no_cycles() {
        ApplicationModules.of(CallCenterApplication.class).verify();
    }

    /**
     * Modules from the bottom up; each may use only those below it. A lower module that needs something of a higher
     * one defines a port (as call's {@code DialledLeads}) or publishes an event, and the higher one implements or
     * listens.
     */
    @Test
    void no_module_depends_on_a_module_above_it() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Web").definedBy("io.callcenter.web..")
                .layer("Asterisk").definedBy("io.callcenter.asterisk..")
                .layer("Identity").definedBy("io.callcenter.identity..")
                .layer("Routing").definedBy("io.callcenter.routing..")
                .layer("Destination").definedBy("io.callcenter.destination..")
                .layer("Agent").definedBy("io.callcenter.agent..")
                .layer("Voicemail").definedBy("io.callcenter.voicemail..")
                .layer("Call").definedBy("io.callcenter.call..")
                .layer("Dialer").definedBy("io.callcenter.dialer..")
                .layer("Screens").definedBy("io.callcenter.softphone..", "io.callcenter.admin..", "io.callcenter.console..",
                        "io.callcenter.demo..", "io.callcenter.report..", "io.callcenter.apidocs..")
                .whereLayer("Dialer").mayOnlyBeAccessedByLayers("Screens")
                .whereLayer("Call").mayOnlyBeAccessedByLayers("Dialer", "Screens")
                .whereLayer("Voicemail").mayOnlyBeAccessedByLayers("Call", "Dialer", "Screens")
                .whereLayer("Agent").mayOnlyBeAccessedByLayers("Call", "Dialer", "Screens")
                .whereLayer("Destination").mayOnlyBeAccessedByLayers("Voicemail", "Call", "Dialer", "Screens")
                .whereLayer("Routing").mayOnlyBeAccessedByLayers("Destination", "Agent", "Call", "Dialer", "Screens")
                .whereLayer("Identity").mayOnlyBeAccessedByLayers("Routing", "Destination", "Agent", "Voicemail", "Call", "Dialer", "Screens")
                .whereLayer("Asterisk").mayOnlyBeAccessedByLayers("Agent", "Voicemail", "Call", "Dialer", "Screens")
                .check(CLASSES);
    }

    /** Not even in a comment or a fully qualified name: the call module knows the dialer only as its port. */
    @Test
    void the_call_module_never_names_the_dialer() throws IOException {
        Path call = Path.of("src/main/java/io/callcenter/call");
        try (Stream<Path> files = Files.walk(call)) {
            List<String> naming = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> {
                        try {
                            return Files.readString(file).contains("io.callcenter.dialer");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString).toList();
            assertThat(naming).isEmpty();
        }
        assertThat(Files.isDirectory(call)).as("the test runs from the app module").isTrue();
    }

    @Test
    void only_the_ari_adapter_knows_ari4java() {
        noClasses().that().resideOutsideOfPackage("io.callcenter.asterisk.ari..")
                .should().dependOnClassesThat().resideInAPackage("ch.loway.oss.ari4java..")
                .check(CLASSES);
    }

    @Test
    void only_repositories_touch_jooq() {
        // The schema code generator (tools/schema-codegen) is a build tool on the classpath, not application code.
        noClasses().that().resideOutsideOfPackages("io.callcenter.db..", "io.callcenter.codegen..")
                .and().haveSimpleNameNotEndingWith("Repository")
                .should().dependOnClassesThat().resideInAnyPackage("io.callcenter.db..", "org.jooq..")
                .check(CLASSES);
    }

    @Test
    void the_call_engine_reaches_asterisk_only_through_the_port() {
        noClasses().that().resideOutsideOfPackage("io.callcenter.asterisk..")
                .should().dependOnClassesThat().resideInAPackage("io.callcenter.asterisk.ari..")
                .check(CLASSES);
    }

    /** Decisions send commands; only the engine holds the gateway that executes them. */
    @Test
    void in_the_call_module_only_the_engine_holds_the_asterisk_gateway() {
        noClasses().that().resideInAPackage("io.callcenter.call..")
                .and().resideOutsideOfPackage("io.callcenter.call.engine..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.callcenter.asterisk.AsteriskGateway")
                .check(CLASSES);
    }

    /** A call changes only through the decisions of its rooms; the API reads it, the engine runs and saves it. */
    @Test
    void the_api_and_the_engine_never_change_a_call() {
        noClasses().that().resideInAnyPackage("io.callcenter.call.api..", "io.callcenter.call.engine..")
                .should().setFieldWhere(com.tngtech.archunit.core.domain.JavaFieldAccess.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("io.callcenter.call.model.."))))
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
