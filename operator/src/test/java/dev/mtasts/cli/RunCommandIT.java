package dev.mtasts.cli;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar mta-sts-operator.jar run}, as the container runs it: it reconciles, and stops on SIGTERM. */
@ExtendWith(RealKubernetes.class)
class RunCommandIT {

  static final String NAMESPACE = "run-command";

  @Test
  void runReconcilesAndStopsCleanlyOnSigterm(KubernetesCluster cluster, @TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "mta-sts-operator.jar");
    assertThat(jar).as("the shaded jar is built in the package phase").exists();
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
        .endMetadata().build()).serverSideApply();
    Path log = dir.resolve("operator.log");
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "run", "--namespace", NAMESPACE, "--lease-namespace", NAMESPACE,
        "--health-port", "-1", "--metrics-port", "-1")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", cluster.kubeconfigFile().toString());
    builder.environment().put("POD_NAME", "run-command-it");
    Process operator = builder.start();
    try {
      MtaStsPolicy policy = enforce("example.com");
      policy.getMetadata().setNamespace(NAMESPACE);
      cluster.client().resource(policy).create();

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        MtaStsPolicy current = cluster.client().resources(MtaStsPolicy.class).inNamespace(NAMESPACE)
            .withName("example-com").get();
        assertThat(current.getStatus()).as(Files.readString(log)).isNotNull();
        assertThat(current.getStatus().getPolicyId()).matches("\\d{16}");
      });
      assertThat(holder(cluster)).isEqualTo("run-command-it");
      assertThat(Files.readString(log)).contains("policy=" + NAMESPACE + "/example-com step=allocate-id");
    } finally {
      operator.destroy(); // SIGTERM, as Kubernetes stops a pod
    }
    assertThat(operator.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s of SIGTERM: %s",
        Files.readString(log)).isTrue();
  }

  static String holder(KubernetesCluster cluster) {
    Lease lease = cluster.client().leases().inNamespace(NAMESPACE).withName("mta-sts-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
