package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.CheckSettings;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalDns;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The operator polls the domains' MX records from a real DNS server (Knot) and reports hosts the policy misses. */
@ExtendWith(RealKubernetes.class)
class MxCoverageIT {

  static final String NAMESPACE = "mx-coverage";

  static String zone(String domain, String mx) {
    return "$ORIGIN " + domain + ".\n$TTL 60\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\n"
        + "ns IN A 127.0.0.1\n" + mx;
  }

  @Test
  void anUncoveredMxIsReportedAndHoldsReadyInEnforceMode(KubernetesCluster cluster, @TempDir Path dir) {
    var client = cluster.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    try (LocalDns dns = LocalDns.serve(Map.of(
            "covered.test", zone("covered.test", "@ IN MX 10 mx1.covered.test.\n"),
            "uncovered.test", zone("uncovered.test", "@ IN MX 10 mx1.uncovered.test.\n@ IN MX 20 backup.elsewhere.test.\n")),
            dir);
        RunningOperator operator = RunningOperator.start(cluster, NAMESPACE, RunningOperator.unreachableService(),
            Optional.of(new MtaStsOperator.MxCheck(new CheckSettings(Optional.of(dns.address()), Optional.empty(),
                Duration.ofSeconds(2), 25, Duration.ofDays(14)), Duration.ofSeconds(2))))) {
      for (MtaStsPolicy policy : List.of(enforce("covered.test"), enforce("uncovered.test"))) {
        policy.getMetadata().setNamespace(NAMESPACE);
        client.resource(policy).create();
      }

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(condition(cluster, "covered-test", "MxCovered").getStatus()).isEqualTo("True");
        Condition uncovered = condition(cluster, "uncovered-test", "MxCovered");
        assertThat(uncovered.getStatus()).isEqualTo("False");
        assertThat(uncovered.getReason()).isEqualTo("MxNotCovered");
        assertThat(uncovered.getMessage()).startsWith("backup.elsewhere.test (MX of uncovered.test) matches none");
        assertThat(condition(cluster, "uncovered-test", "Ready").getReason()).isEqualTo("MxNotCovered");
      });
      assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
          .anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("MxNotCovered");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("uncovered-test");
          });
    }
  }

  static Condition condition(KubernetesCluster cluster, String name, String type) {
    MtaStsPolicy policy = cluster.client().resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName(name).get();
    assertThat(policy.getStatus()).isNotNull();
    return ConditionList.find(policy.getStatus().getConditions(), type).orElseThrow();
  }
}
