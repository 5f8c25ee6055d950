package dev.mtasts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the kubectl built by test-infra/k8s-binaries.sh against the test cluster, as a user would. */
public final class Kubectl {

  /** Exit status and what kubectl printed. */
  public record Result(int exitCode, String out) {}

  private Kubectl() {}

  public static Path binary() {
    return KubernetesCluster.binaryDir().resolve("kubectl");
  }

  public static Result run(KubernetesCluster cluster, String... args) {
    List<String> command = new ArrayList<>(List.of(binary().toString(), "--kubeconfig",
        cluster.kubeconfigFile().toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
