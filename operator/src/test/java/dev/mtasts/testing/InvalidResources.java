package dev.mtasts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The invalid MtaStsPolicy resources under src/test/resources/invalid/, one rule each. The first line of each file
 * says what the refusal must contain: {@code # refused: spec.domains[1]: Duplicate value}; the text before the
 * first ": " is the field.
 */
public final class InvalidResources {

  /** One invalid resource and the refusal expected for it. */
  public record Case(String name, Path file, String expected) {
    public String field() {
      int colon = expected.indexOf(": ");
      return colon < 0 ? expected : expected.substring(0, colon);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String PREFIX = "# refused: ";

  private InvalidResources() {}

  public static List<Case> all() {
    Path folder = GoldenFile.repoRoot().resolve("operator/src/test/resources/invalid");
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(InvalidResources::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Case read(Path file) {
    String first = GoldenFile.read(file).lines().findFirst().orElse("");
    if (!first.startsWith(PREFIX)) {
      throw new IllegalStateException(file + " must start with '" + PREFIX + "<expected refusal>'");
    }
    String name = file.getFileName().toString().replace(".yaml", "").replace('-', ' ');
    return new Case(name, file, first.substring(PREFIX.length()).trim());
  }
}
