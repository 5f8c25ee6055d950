package dev.mtasts.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.Examples;
import dev.mtasts.testing.Kubectl;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.ServerSideApply;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated CRD on a real API server: it installs, takes the examples, prints its columns, splits status. */
@ExtendWith(RealKubernetes.class)
class CrdOnApiServerIT {

  static final String NAMESPACE = "mail";

  @BeforeAll
  static void namespace(KubernetesClient client) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
  }

  static List<Path> examples() {
    return Examples.policies();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleIsAcceptedByServerSideDryRun(Path example, KubernetesClient client) {
    assertThat(ServerSideApply.dryRun(client, Examples.text(example), NAMESPACE)).isEmpty();
  }

  @Test
  void printerColumnsShowInKubectlGet(KubernetesCluster cluster) {
    MtaStsPolicy policy = apply(cluster.client(), "columns", List.of("example.com", "example.org"));
    MtaStsPolicyStatus status = new MtaStsPolicyStatus();
    status.setPolicyId("2026112307000000");
    status.setEffectiveMode("testing"); // a staged rollout that has not met its gate yet
    status.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("False")
        .withReason("RolloutInProgress").withMessage("waiting").withLastTransitionTime("2026-11-23T07:00:00Z")
        .build()));
    policy.setStatus(status);
    cluster.client().resource(policy).updateStatus();

    Kubectl.Result get = Kubectl.run(cluster, "get", "mtastspolicies", "-n", NAMESPACE, "columns");
    Kubectl.Result wide = Kubectl.run(cluster, "get", "mtasts", "-n", NAMESPACE, "columns", "-o", "wide");

    assertThat(get.exitCode()).as(get.out()).isZero();
    List<String> lines = get.out().lines().toList();
    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly("NAME", "DOMAINS", "MODE", "SERVING", "POLICY ID", "READY", "AGE");
    assertThat(lines.get(1)).contains("columns").contains("[\"example.com\",\"example.org\"]")
        .containsPattern("enforce\\s+testing").contains("False").contains("2026112307000000");
    assertThat(wide.out().lines().findFirst().orElseThrow()).contains("REASON");
    assertThat(wide.out()).contains("RolloutInProgress");
  }

  @Test
  void statusIsASubresource(KubernetesClient client) {
    MtaStsPolicy policy = apply(client, "subresource", List.of("example.net"));
    MtaStsPolicyStatus status = new MtaStsPolicyStatus();
    status.setPolicyId("1");
    policy.setStatus(status);
    client.resource(policy).updateStatus();

    MtaStsPolicy specChange = client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName("subresource").get();
    specChange.getSpec().setMaxAge(86400L);
    specChange.getStatus().setPolicyId("changed-with-the-spec");
    MtaStsPolicy afterSpecUpdate = client.resource(specChange).update();

    assertThat(afterSpecUpdate.getSpec().getMaxAge()).isEqualTo(86400L);
    assertThat(afterSpecUpdate.getStatus().getPolicyId()).as("a spec update leaves status alone").isEqualTo("1");

    MtaStsPolicy statusChange = client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName("subresource")
        .get();
    statusChange.getSpec().setMaxAge(1L);
    statusChange.getStatus().setPolicyId("2");
    MtaStsPolicy afterStatusUpdate = client.resource(statusChange).updateStatus();

    assertThat(afterStatusUpdate.getStatus().getPolicyId()).isEqualTo("2");
    assertThat(afterStatusUpdate.getSpec().getMaxAge()).as("a status update leaves the spec alone").isEqualTo(86400L);
    assertThat(afterStatusUpdate.getMetadata().getGeneration()).as("status changes do not bump the generation")
        .isEqualTo(afterSpecUpdate.getMetadata().getGeneration());
  }

  @Test
  void crdIsEstablishedWithItsShortNames(KubernetesClient client) {
    var crd = client.apiextensions().v1().customResourceDefinitions().withName("mtastspolicies.mtasts.dev").get();

    assertThat(crd.getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Established=True"));
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("mtasts", "stspolicy");
  }

  private static MtaStsPolicy apply(KubernetesClient client, String name, List<String> domains) {
    MtaStsPolicy policy = new MtaStsPolicy();
    policy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(name).withNamespace(NAMESPACE).build());
    MtaStsPolicySpec spec = new MtaStsPolicySpec();
    spec.setDomains(domains);
    spec.setMode(PolicyMode.ENFORCE);
    spec.setMx(List.of("mx." + domains.get(0)));
    policy.setSpec(spec);
    return client.resource(policy).create();
  }
}
