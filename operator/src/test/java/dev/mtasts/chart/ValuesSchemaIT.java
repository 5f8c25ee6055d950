package dev.mtasts.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's values.schema.json, through the pinned helm: every values file under
 * src/test/resources/chart/invalid-values/ is refused at install time with a message naming the value. The first
 * line of each file is the expected refusal: {@code # refused: at '/replicas': minimum: got 0, want 1}.
 */
class ValuesSchemaIT {

  private static final String PREFIX = "# refused: ";

  /** One wrong values file and the refusal expected for it. */
  record WrongValues(String name, Path file, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<WrongValues> wrongValues() {
    Path folder = GoldenFile.repoRoot().resolve("operator/src/test/resources/chart/invalid-values");
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(file -> {
        String first = GoldenFile.read(file).lines().findFirst().orElse("");
        if (!first.startsWith(PREFIX)) {
          throw new IllegalStateException(file + " must start with '" + PREFIX + "<expected refusal>'");
        }
        return new WrongValues(file.getFileName().toString().replace(".yaml", "").replace('-', ' '), file,
            first.substring(PREFIX.length()).trim());
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void atLeastTenWrongValuesFiles() {
    assertThat(wrongValues()).hasSizeGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongValues")
  void refusedNamingTheValue(WrongValues wrong) {
    Helm.Result result = Helm.template("mta-sts", "-f", wrong.file().toString());

    assertThat(result.exitCode()).as("helm template accepted %s", wrong.file().getFileName()).isNotZero();
    assertThat(result.err()).contains("values don't meet the specifications of the schema").contains(wrong.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongValues")
  void lintRefusesToo(WrongValues wrong) {
    Helm.Result result = Helm.run("lint", Helm.chart().toString(), "-f", wrong.file().toString());

    assertThat(result.exitCode()).as("helm lint accepted %s", wrong.file().getFileName()).isNotZero();
    assertThat(result.out() + result.err()).contains(wrong.expected());
  }
}
