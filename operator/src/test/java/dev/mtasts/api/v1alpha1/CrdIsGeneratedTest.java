package dev.mtasts.api.v1alpha1;

import dev.mtasts.testing.GoldenFile;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD under crds/ is what Fabric8's CRD generator makes from this package, never a hand-edited copy. Run with
 * {@code -Dmtasts.updateGolden=true} after changing the model, and review the diff.
 */
class CrdIsGeneratedTest {

  static final String CRD_FILE = "mtastspolicies.mtasts.dev-v1.yml";
  static final String REPORT_CRD_FILE = "tlsrptreports.mtasts.dev-v1.yml";

  @TempDir Path out;

  @Test
  void committedCrdMatchesTheJavaModel() throws IOException {
    assertGenerated(MtaStsPolicy.class, CRD_FILE);
  }

  @Test
  void committedReportCrdMatchesTheJavaModel() throws IOException {
    assertGenerated(TlsRptReport.class, REPORT_CRD_FILE);
  }

  private void assertGenerated(Class<? extends HasMetadata> resource, String file) throws IOException {
    new CRDGenerator()
        .customResourceClasses(resource)
        .forCRDVersions("v1")
        .withParallelGenerationEnabled(false)
        .withPostProcessor(new DeclaredColumnOrder(resource))
        .inOutputDir(out.toFile())
        .generate();

    GoldenFile.assertMatches(GoldenFile.repoRoot().resolve("crds").resolve(file),
        Files.readString(out.resolve(file)));
  }

  /**
   * The generator sorts printer columns by JSON path, which would put Age first; kubectl shows them in the order
   * of the CRD, so keep the order the annotations are declared in.
   */
  static final class DeclaredColumnOrder implements CRDPostProcessor {
    private final Class<?> resource;

    DeclaredColumnOrder(Class<?> resource) {
      this.resource = resource;
    }

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      List<String> declared = Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
          .map(AdditionalPrinterColumn::jsonPath)
          .toList();
      ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(version -> version.getAdditionalPrinterColumns()
          .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getJsonPath()))));
      return crd;
    }
  }
}
