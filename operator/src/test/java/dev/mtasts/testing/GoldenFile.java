package dev.mtasts.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated text with a file committed in the repository, byte for byte. Run the build with
 * {@code -Dmtasts.updateGolden=true} to rewrite the committed files instead, then review the diff like code.
 */
public final class GoldenFile {

  public static final String UPDATE_PROPERTY = "mtasts.updateGolden";

  private GoldenFile() {}

  /** The repository's top folder (set by Maven; the module's parent when run from an IDE). */
  public static Path repoRoot() {
    String configured = System.getProperty("mtasts.repoRoot");
    Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  public static void assertMatches(Path committed, String generated) {
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      write(committed, generated);
      return;
    }
    assertThat(committed)
        .as("%s is missing; run the build with -D%s=true to create it", committed, UPDATE_PROPERTY)
        .exists();
    assertThat(read(committed))
        .as("%s differs from what the code generates now; run the build with -D%s=true and review the diff",
            committed, UPDATE_PROPERTY)
        .isEqualTo(generated);
  }

  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
