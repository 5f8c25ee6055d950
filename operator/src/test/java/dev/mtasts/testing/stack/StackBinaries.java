package dev.mtasts.testing.stack;

import dev.mtasts.testing.KubernetesCluster;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where test-infra/ puts the real components it builds: the Kubernetes binaries beside kube-apiserver, the others
 * in the cache's bin folder. A missing one is an error that names the script that builds it; nothing is skipped.
 */
public final class StackBinaries {

  private StackBinaries() {}

  /** kube-controller-manager or kube-scheduler, built with kube-apiserver by test-infra/k8s-binaries.sh. */
  static Path kubernetes(String name) {
    return executable(KubernetesCluster.binaryDir().resolve(name), "test-infra/k8s-binaries.sh");
  }

  /** A binary in $MTASTS_CACHE/bin, built by the given test-infra script. */
  static Path cached(String name, String script) {
    return executable(cache().resolve("bin").resolve(name), script);
  }

  /** A file the given script extracted into the cache (CRDs, stage definitions). */
  public static Path cachedFile(String relative, String script) {
    Path file = cache().resolve(relative);
    if (!Files.exists(file)) {
      throw new IllegalStateException("No " + file + ": run " + script + " (test-infra/setup.sh runs it)");
    }
    return file;
  }

  /** The cache test-infra/script-lib.sh uses: $MTASTS_CACHE, else $XDG_CACHE_HOME/mta-sts-operator. */
  public static Path cache() {
    String explicit = System.getenv("MTASTS_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("mta-sts-operator");
  }

  private static Path executable(Path binary, String script) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("No " + binary + ": run " + script + " (test-infra/setup.sh runs it)");
    }
    return binary;
  }
}
