package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.CheckSettings;
import dev.mtasts.testing.ClusterStandIns;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalDns;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.discoverMx against a real DNS server (Knot): the served policy follows the MX records, with a new id, and
 * keeps the last good list when DNS stops answering.
 */
@ExtendWith(RealKubernetes.class)
class MxDiscoveryIT {

  static final String NAMESPACE = "mx-discovery";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static String zone(String mx) {
    return "$ORIGIN disco.test.\n$TTL 60\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\n"
        + "ns IN A 127.0.0.1\n" + mx;
  }

  @Test
  void theServedPolicyFollowsTheMxRecordsAndSurvivesADnsOutage(KubernetesCluster cluster, @TempDir Path dir) {
    var client = cluster.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    LocalDns dns = LocalDns.serve(Map.of("disco.test", zone("@ IN MX 10 mx1.disco.test.\n")), dir);
    try (RunningOperator operator = RunningOperator.start(cluster, NAMESPACE, RunningOperator.unreachableService(),
        Optional.of(new MtaStsOperator.MxCheck(new CheckSettings(Optional.of(dns.address()), Optional.empty(),
            Duration.ofSeconds(1), 25, Duration.ofDays(14)), Duration.ofSeconds(1))))) {
      MtaStsPolicy policy = enforce("disco.test");
      policy.getMetadata().setNamespace(NAMESPACE);
      policy.getSpec().setMx(null);
      policy.getSpec().setDiscoverMx(true);
      client.resource(policy).create();

      await().atMost(TIMEOUT).untilAsserted(() -> {
        assertThat(policyFile(cluster)).contains("mx: mx1.disco.test\r\n");
        assertThat(status(cluster).getDiscoveredMx()).containsExactly("mx1.disco.test");
      });
      String firstId = status(cluster).getPolicyId();

      dns.update("disco.test", zone("@ IN MX 10 mx1.disco.test.\n@ IN MX 20 mx2.disco.test.\n").replace(" 1 3600", " 2 3600"));
      await().atMost(TIMEOUT).untilAsserted(() -> {
        assertThat(policyFile(cluster)).contains("mx: mx1.disco.test\r\nmx: mx2.disco.test\r\n");
        assertThat(status(cluster).getPolicyId()).isNotEqualTo(firstId);
      });
      String secondId = status(cluster).getPolicyId();
      new ClusterStandIns(client, NAMESPACE).finishRollout("disco-test-policy-server");

      dns.close(); // DNS stops answering: the policy must keep its last good list, not shrink or empty
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(policyFile(cluster)).contains("mx: mx1.disco.test\r\nmx: mx2.disco.test\r\n");
        assertThat(status(cluster).getPolicyId()).isEqualTo(secondId);
        assertThat(status(cluster).getDiscoveredMx()).containsExactly("mx1.disco.test", "mx2.disco.test");
      });
    } finally {
      dns.close();
    }
  }

  static String policyFile(KubernetesCluster cluster) {
    ConfigMap configMap = cluster.client().configMaps().inNamespace(NAMESPACE).withName("disco-test-policy").get();
    return configMap == null ? "" : configMap.getData().get("mta-sts.txt");
  }

  static dev.mtasts.api.v1alpha1.MtaStsPolicyStatus status(KubernetesCluster cluster) {
    MtaStsPolicy policy = cluster.client().resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName("disco-test")
        .get();
    assertThat(policy.getStatus()).isNotNull();
    return policy.getStatus();
  }
}
