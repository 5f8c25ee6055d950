package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The RFC core stays pure: no Kubernetes, no Jackson, no I/O, and no clock of its own. The DNS update publisher
 * (dnsupdate/) and the live checks (check/) do I/O but know no Kubernetes type, so they stay usable from the CLI and
 * testable on a DNS server. The TLS-RPT report core (tlsrpt/) likewise, and it reads no clock.
 */
class PackageBoundaryTest {

  private static final List<String> FORBIDDEN = List.of(
      "io.fabric8", "io.javaoperatorsdk", "com.fasterxml",
      "java.io.File", "java.nio.file", "java.net.http", "java.net.Socket", "java.net.URL;",
      "Instant.now(", "Clock.system", "System.currentTimeMillis", "System.nanoTime",
      "LocalDateTime.now(", "ZonedDateTime.now(", "OffsetDateTime.now(", "LocalDate.now(");

  private static final List<String> SYSTEM_CLOCK = List.of(
      "Instant.now(", "Clock.system", "System.currentTimeMillis", "System.nanoTime",
      "LocalDateTime.now(", "ZonedDateTime.now(", "OffsetDateTime.now(", "LocalDate.now(");

  private static final List<String> KUBERNETES = List.of("io.fabric8", "io.javaoperatorsdk", "dev.mtasts.api.");

  @Test
  void rfcSourcesUseNoKubernetesJacksonIoOrSystemClock() throws IOException {
    assertNoneUse("rfc", 10, FORBIDDEN);
  }

  @Test
  void dnsUpdateSourcesUseNoKubernetesType() throws IOException {
    assertNoneUse("dnsupdate", 3, KUBERNETES);
  }

  /** check/ is what a sender sees, shared by the CLI and the operator's DNS and policy URL checks. */
  @Test
  void checkSourcesUseNoKubernetesType() throws IOException {
    assertNoneUse("check", 8, KUBERNETES);
  }

  /** reports/ receives reports (HTTP) and hands them to an intake; the cluster store lives elsewhere. */
  @Test
  void reportsSourcesUseNoKubernetesType() throws IOException {
    assertNoneUse("reports", 2, KUBERNETES);
  }

  /**
   * tlsrpt/ reads reports for the operator's receivers and for lint alike: Jackson and Jakarta Mail, but no
   * Kubernetes type, and time only from what the report says.
   */
  @Test
  void tlsrptSourcesUseNoKubernetesType() throws IOException {
    assertNoneUse("tlsrpt", 7, Stream.concat(KUBERNETES.stream(), SYSTEM_CLOCK.stream()).toList());
  }

  private static void assertNoneUse(String packageFolder, int atLeast, List<String> forbidden) throws IOException {
    Path sources = sourceFolder(packageFolder);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }

    assertThat(files).as("Java sources under %s", sources).hasSizeGreaterThan(atLeast);
    for (Path file : files) {
      String source = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(forbidden).as("forbidden names in %s", sources.relativize(file))
          .noneMatch(source::contains);
    }
  }

  private static Path sourceFolder(String packageFolder) {
    // Surefire runs with the module directory as user.dir and also sets basedir.
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    Path folder = Path.of(base, "src", "main", "java", "dev", "mtasts", packageFolder);
    assertThat(folder).as("%s source folder", packageFolder).isDirectory();
    return folder;
  }
}
