package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image's build context, read as files (there is no Docker engine in CI): the repository root less what
 * .dockerignore leaves out, which must be the build and test output and never something the Dockerfile copies.
 * The image's user and JVM flags are checked against the Helm chart in {@link HelmChartTests}.
 */
class DockerfileTests {

    static final Path DOCKERIGNORE = Path.of(".dockerignore");

    List<String> patterns;

    @BeforeEach
    void read() throws IOException {
        patterns = Files.readAllLines(DOCKERIGNORE).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    @Test
    void theBuildContextLeavesOutBuildOutputDependenciesAndHistory() {
        assertThat(List.of("target/classes/application.yml", "target/mesh-control-plane-0.1.0-SNAPSHOT.jar",
                ".git/HEAD", "interop/node_modules/bittorrent-tracker/package.json"))
                .allSatisfy(path -> assertThat(ignored(path)).as(path).isTrue());
    }

    @Test
    void theBuildContextKeepsEverythingTheDockerfileCopies() throws IOException {
        // Exceptions (!pattern) would need Docker's full matching rules; this file does without them.
        assertThat(patterns).noneMatch(pattern -> pattern.startsWith("!"));
        List<String> sources = copiedFromContext();
        assertThat(sources).contains("src", "pom.xml");

        for (String source : sources) {
            assertThat(Path.of(source)).as("copied by the Dockerfile").exists();
            try (Stream<Path> files = Files.walk(Path.of(source))) {
                assertThat(files.filter(Files::isRegularFile).map(file -> file.toString().replace('\\', '/')))
                        .as("files under %s", source).isNotEmpty().noneMatch(this::ignored);
            }
        }
    }

    /** Sources of the Dockerfile's COPY instructions that read the build context (not another stage). */
    static List<String> copiedFromContext() throws IOException {
        List<String> sources = new ArrayList<>();
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(.+)$").matcher(HelmChartTests.dockerfile());
        while (copy.find()) {
            List<String> arguments = Arrays.asList(copy.group(1).trim().split("\\s+"));
            if (arguments.stream().noneMatch(argument -> argument.startsWith("--from="))) {
                sources.addAll(arguments.subList(0, arguments.size() - 1));
            }
        }
        return sources;
    }

    /**
     * Whether Docker leaves this path (relative to the context, with forward slashes) out: a pattern matches the
     * path or one of the folders it is in; {@code **} matches any number of folders, none included.
     */
    boolean ignored(String path) {
        List<String> candidates = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            candidates.add(path.substring(0, slash));
        }
        candidates.add(path);
        for (String pattern : patterns) {
            String cleaned = pattern.replaceAll("/+$", "");
            List<String> globs = new ArrayList<>(List.of(cleaned));
            if (cleaned.startsWith("**/")) {
                globs.add(cleaned.substring(3));
            }
            for (String glob : globs) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                if (candidates.stream().anyMatch(candidate -> matcher.matches(Path.of(candidate)))) {
                    return true;
                }
            }
        }
        return false;
    }
}
