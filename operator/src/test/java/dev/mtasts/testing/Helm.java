package dev.mtasts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the helm built by test-infra/helm-binary.sh on the chart under charts/, as a user would. */
public final class Helm {

  /** Exit status, standard output (the rendered manifests) and standard error (lint findings, schema refusals). */
  public record Result(int exitCode, String out, String err) {}

  public static final String RELEASE = "mta-sts";

  private Helm() {}

  public static Path chart() {
    return GoldenFile.repoRoot().resolve("charts/mta-sts-operator");
  }

  public static Path binary() {
    String cache = System.getenv("MTASTS_CACHE");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "mta-sts-operator");
    return base.resolve("bin/helm");
  }

  /** {@code helm template} of the chart into {@code namespace}, with the CRD; extra arguments such as -f. */
  public static Result template(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("template", RELEASE, chart().toString(),
        "--namespace", namespace, "--include-crds"));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  public static Result run(String... args) {
    Path helm = binary();
    if (!Files.isExecutable(helm)) {
      throw new IllegalStateException("No helm in " + helm + ": run test-infra/setup.sh (it builds the pinned helm)");
    }
    List<String> command = new ArrayList<>(List.of(helm.toString()));
    command.addAll(List.of(args));
    try {
      Path err = Files.createTempFile("helm", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("helm " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), out, Files.readString(err));
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The objects of a rendered multi-document stream, without the empty documents helm leaves. */
  public static List<String> documents(String manifests) {
    return java.util.Arrays.stream(manifests.split("(?m)^---\\s*$"))
        .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")))
        .toList();
  }
}
