package dev.mtasts.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.Kubectl;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.ServerSideApply;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Argo CD examples as a platform team applies them: the Application passes Argo CD's own Application CRD
 * (fetched at the pinned version by test-infra/argocd-crd.sh) with strict field validation, and the health check
 * patch merges into an existing argocd-cm with kubectl.
 */
@ExtendWith(RealKubernetes.class)
class ArgoCdExamplesIT {

  static final String ARGOCD_NAMESPACE = "argocd";
  static final Path APPLICATION = GoldenFile.repoRoot().resolve("examples/argocd/application.yaml");

  /** Where test-infra/argocd-crd.sh caches the CRD: ${MTASTS_CACHE:-${XDG_CACHE_HOME:-~/.cache}/mta-sts-operator}. */
  static Path applicationCrd() {
    String cache = System.getenv("MTASTS_CACHE");
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache)
        : (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
            .resolve("mta-sts-operator");
    return base.resolve("argocd").resolve(KubernetesCluster.pinnedVersions().get("ARGOCD_VERSION"))
        .resolve("application-crd.yaml");
  }

  @BeforeAll
  static void argoCdCrdAndNamespace(KubernetesCluster cluster) {
    Path crd = applicationCrd();
    if (!Files.isRegularFile(crd)) {
      throw new IllegalStateException("No Argo CD Application CRD at " + crd
          + ": run test-infra/setup.sh (test-infra/argocd-crd.sh fetches the pinned one)");
    }
    cluster.installCrds(List.of(crd));
    cluster.client().namespaces().resource(new NamespaceBuilder()
        .withNewMetadata().withName(ARGOCD_NAMESPACE).endMetadata().build()).serverSideApply();
  }

  @Test
  void applicationPassesArgoCdsOwnSchema(KubernetesClient client) {
    assertThat(ServerSideApply.dryRun(client, GoldenFile.read(APPLICATION), ARGOCD_NAMESPACE))
        .as("the API server refused %s", APPLICATION).isEmpty();
  }

  @Test
  void aMisspelledSyncOptionFieldIsRefused(KubernetesClient client) {
    // Proves the dry run above checks the Application's fields, not just its kind.
    String misspelled = GoldenFile.read(APPLICATION).replace("      selfHeal: true", "      selfheal: true");
    assertThat(misspelled).isNotEqualTo(GoldenFile.read(APPLICATION));

    assertThat(ServerSideApply.dryRun(client, misspelled, ARGOCD_NAMESPACE))
        .hasValueSatisfying(refusal -> assertThat(refusal).contains("selfheal"));
  }

  @Test
  void healthCheckMergesIntoAnExistingArgocdCm(KubernetesCluster cluster) {
    KubernetesClient client = cluster.client();
    // argocd-cm as an Argo CD installation leaves it, with a setting of its own.
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("argocd-cm").withNamespace(ARGOCD_NAMESPACE)
        .endMetadata().addToData("url", "https://argocd.example.com").build()).serverSideApply();

    Kubectl.Result patched = Kubectl.run(cluster, "-n", ARGOCD_NAMESPACE, "patch", "configmap", "argocd-cm",
        "--patch-file", LuaHealthCheck.CONFIG_MAP.toString());

    assertThat(patched.exitCode()).as("kubectl patch: %s", patched.out()).isZero();
    ConfigMap argocdCm = client.configMaps().inNamespace(ARGOCD_NAMESPACE).withName("argocd-cm").get();
    assertThat(argocdCm.getData())
        .containsEntry("url", "https://argocd.example.com")
        .containsEntry(LuaHealthCheck.KEY, LuaHealthCheck.luaSource());
  }
}
