package dev.mtasts.testing;

import dev.mtasts.api.externaldns.DNSEndpoint;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stand-ins for the CRDs that cert-manager and external-dns install, generated from the Java models the operator
 * uses (Fabric8's cert-manager model, our DNSEndpoint), so the API server stores and validates what we send. The
 * real ones arrive with the Helm issue, which builds cert-manager and external-dns.
 */
public final class ThirdPartyCrds {

  private ThirdPartyCrds() {}

  public static List<Path> generate() {
    try {
      Path dir = Files.createTempDirectory("mtasts-third-party-crds");
      new CRDGenerator()
          .customResourceClasses(Certificate.class, DNSEndpoint.class)
          .forCRDVersions("v1")
          .withParallelGenerationEnabled(false)
          .inOutputDir(dir.toFile())
          .generate();
      try (Stream<Path> files = Files.list(dir)) {
        return files.sorted().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
