package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.InvalidResources;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code render} refuses every resource the API server refuses (the same files, see SchemaValidationIT), naming
 * the same field: the offline preview never shows objects the cluster would not accept.
 */
class InvalidResourcesTest {

  static Stream<InvalidResources.Case> invalidResources() {
    return InvalidResources.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void renderRefusesNamingTheField(InvalidResources.Case invalid) {
    Path file = invalid.file();

    CommandRun run = CommandRun.of("render", "-f", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(invalid.field());
  }
}
