package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The RFC core stays pure: no Kubernetes, no Jackson, no I/O, and no clock of its own. */
class PackageBoundaryTest {

  private static final List<String> FORBIDDEN = List.of(
      "io.fabric8", "io.javaoperatorsdk", "com.fasterxml",
      "java.io.File", "java.nio.file", "java.net.http", "java.net.Socket", "java.net.URL;",
      "Instant.now(", "Clock.system", "System.currentTimeMillis", "System.nanoTime",
      "LocalDateTime.now(", "ZonedDateTime.now(", "OffsetDateTime.now(", "LocalDate.now(");

  @Test
  void rfcSourcesUseNoKubernetesJacksonIoOrSystemClock() throws IOException {
    Path sources = sourceFolder();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }

    assertThat(files).as("Java sources under %s", sources).hasSizeGreaterThan(10);
    for (Path file : files) {
      String source = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(FORBIDDEN).as("forbidden names in %s", sources.relativize(file))
          .noneMatch(source::contains);
    }
  }

  private static Path sourceFolder() {
    // Surefire runs with the module directory as user.dir and also sets basedir.
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    Path folder = Path.of(base, "src", "main", "java", "dev", "mtasts", "rfc");
    assertThat(folder).as("RFC source folder").isDirectory();
    return folder;
  }
}
