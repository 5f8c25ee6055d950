package dev.mtasts.api.v1alpha1;

import dev.mtasts.testing.GoldenFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD under crds/ is the one Fabric8's generator makes from this package, never a hand-edited copy. */
class CrdIsGeneratedTest {

  static final String CRD_FILE = "mtastspolicies.mtasts.dev-v1.yml";

  @Test
  void committedCrdMatchesTheJavaModel() {
    Path generated = Path.of("target", "classes", "META-INF", "fabric8", CRD_FILE);
    GoldenFile.assertMatches(GoldenFile.repoRoot().resolve("crds").resolve(CRD_FILE), GoldenFile.read(generated));
  }
}
