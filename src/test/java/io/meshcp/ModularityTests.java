package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.meshcp.shared.caller.DashboardPage;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ResponseBody;

class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(MeshControlPlaneApplication.class);

    /** The module diagrams readers find in docs/modules, which must show the modules as the code has them. */
    static final Path COMMITTED = Path.of("docs", "modules");

    @Test
    void modulesUseOnlyTheModulesTheyDeclareThroughTheirPublicApiAndHaveNoCycles() {
        MODULES.verify();
    }

    /**
     * The dashboard's page layout (its roles and kill-switch banner) is computed for {@link DashboardPage}s only: a
     * page controller without it would render without them, a REST controller with it would pay for them.
     */
    @Test
    void everyPageControllerAndNoRestControllerIsADashboardPage() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
        List<Class<?>> controllers = scanner.findCandidateComponents("io.meshcp").stream()
                .<Class<?>>map(candidate -> ClassUtils.resolveClassName(candidate.getBeanClassName(), null)).toList();
        List<Class<?>> pages = controllers.stream()
                .filter(type -> !AnnotatedElementUtils.hasAnnotation(type, ResponseBody.class)).toList();
        List<Class<?>> rest = controllers.stream()
                .filter(type -> AnnotatedElementUtils.hasAnnotation(type, ResponseBody.class)).toList();

        assertThat(pages).hasSizeGreaterThan(10).allMatch(type -> type.isAnnotationPresent(DashboardPage.class));
        assertThat(rest).hasSizeGreaterThan(10).noneMatch(type -> type.isAnnotationPresent(DashboardPage.class));
    }

    @Test
    void theModuleDiagramsInDocsAreTheCodes() throws IOException {
        Path generated = Path.of("target", "spring-modulith-docs");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(generated.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();

        List<String> names = diagrams(generated);
        assertThat(names).isNotEmpty();
        assertThat(diagrams(COMMITTED)).as("docs/modules holds the diagrams of every module and no others (copy "
                + "them from %s)", generated).isEqualTo(names);
        for (String name : names) {
            // Compared as sets of lines: the order modules come in follows the order classes are found on disk.
            assertThat(lines(COMMITTED.resolve(name))).as("docs/modules/%s is out of date: copy it from %s", name,
                    generated).isEqualTo(lines(generated.resolve(name)));
        }
    }

    private static List<String> lines(Path diagram) throws IOException {
        return Files.readAllLines(diagram).stream().sorted().toList();
    }

    private static List<String> diagrams(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".puml")).sorted()
                    .toList();
        }
    }
}
