package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(MeshControlPlaneApplication.class);

    /** The module diagrams readers find in docs/modules, which must show the modules as the code has them. */
    static final Path COMMITTED = Path.of("docs", "modules");

    @Test
    void modulesUseOnlyTheModulesTheyDeclareThroughTheirPublicApiAndHaveNoCycles() {
        MODULES.verify();
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
