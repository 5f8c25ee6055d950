package dev.mtasts.testing;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ready-to-apply files under {@code examples/}, found the way a reader browses them (every folder), so a new
 * example is picked up by the tests without being registered anywhere.
 */
public final class Examples {

  private Examples() {}

  public static Path root() {
    return GoldenFile.repoRoot().resolve("examples");
  }

  /** Every YAML file, relative to {@code examples/}, sorted. */
  public static List<Path> all() {
    try (Stream<Path> files = Files.walk(root())) {
      return files.filter(f -> f.toString().endsWith(".yaml")).map(f -> root().relativize(f)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The MtaStsPolicy examples, relative to {@code examples/}. */
  public static List<Path> policies() {
    return all().stream().filter(Examples::isPolicy).toList();
  }

  /** The operator's Helm values files, relative to {@code examples/}. */
  public static List<Path> helmValues() {
    return all().stream().filter(f -> f.startsWith("helm")).toList();
  }

  public static String text(Path example) {
    return GoldenFile.read(root().resolve(example));
  }

  public static MtaStsPolicy policy(String example) {
    return Serialization.unmarshal(text(Path.of(example)), MtaStsPolicy.class);
  }

  private static boolean isPolicy(Path example) {
    return text(example).lines().anyMatch(line -> line.equals("kind: MtaStsPolicy"));
  }
}
