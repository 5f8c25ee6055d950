package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.server;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class PolicyServerDeploymentTest {

  private static Deployment deployment(MtaStsPolicy policy) {
    return PolicyServerDeployment.desired(policy, OperatorSettings.defaults(), PolicyBuildersTest.published(policy));
  }

  @Test
  void podTemplateCarriesThePolicyHashSoAPolicyChangeRollsThePods() {
    MtaStsPolicy policy = enforce("example.com");
    Deployment before = deployment(policy);
    Deployment after = deployment(with(enforce("example.com"), s -> s.setMode(PolicyMode.TESTING)));

    assertThat(before.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("mtasts.dev/policy-hash", TestPolicies.content(policy).hash());
    assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
        .isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations());
  }

  @Test
  void runsUnprivilegedOnAReadOnlyRootFilesystem() {
    Deployment deployment = deployment(enforce("example.com"));
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container nginx = pod.getContainers().get(0);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    // The unprivileged nginx images run as 101:101; the mounted ConfigMap must be readable by that user.
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(101L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(101L);
    assertThat(pod.getEnableServiceLinks()).as("no environment of other Services in the pod").isFalse();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(nginx.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(nginx.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(nginx.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(nginx.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp/nginx"));
  }

  @Test
  void servesTheConfigMapReadOnlyBySubPathWithItsRuntimeFilesInMemory() {
    var pod = deployment(enforce("example.com")).getSpec().getTemplate().getSpec();
    Container nginx = pod.getContainers().get(0);

    assertThat(nginx.getName()).isEqualTo("nginx");
    assertThat(nginx.getCommand()).containsExactly("nginx", "-c", "/etc/mta-sts/nginx.conf");
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("policy", "runtime");
    assertThat(pod.getVolumes().get(0).getConfigMap().getName()).isEqualTo("example-com-policy");
    assertThat(pod.getVolumes().get(1).getEmptyDir().getMedium()).isEqualTo("Memory");
    // By subPath, which the kubelet never refreshes: a running pod keeps the policy it started with.
    assertThat(nginx.getVolumeMounts()).filteredOn(m -> m.getName().equals("policy"))
        .extracting(m -> m.getMountPath() + " <- " + m.getSubPath() + (m.getReadOnly() ? " (ro)" : ""))
        .containsExactly("/etc/mta-sts/mta-sts.txt <- mta-sts.txt (ro)", "/etc/mta-sts/nginx.conf <- nginx.conf (ro)");
  }

  @Test
  void requestsLittleAndIsCappedInMemory() {
    var resources = deployment(enforce("example.com")).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getResources();

    assertThat(resources.getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("10m");
    assertThat(resources.getRequests().get("memory").toString()).isEqualTo("16Mi");
    assertThat(resources.getLimits().get("memory").toString()).isEqualTo("64Mi");
  }

  @Test
  void readinessMeansThePolicyIsServed() {
    Container nginx = deployment(enforce("example.com")).getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(nginx.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/.well-known/mta-sts.txt");
    assertThat(nginx.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
  }

  @Test
  void rollsOutWithoutEverHavingFewerServingPods() {
    var strategy = deployment(enforce("example.com")).getSpec().getStrategy();

    assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
  }

  @Test
  void replicasAndImageComeFromTheSpecElseFromTheOperator() {
    Deployment defaulted = deployment(enforce("example.com"));
    Deployment overridden = deployment(with(enforce("example.com"), s -> s.setServer(server(4, "my/nginx:1"))));

    assertThat(defaulted.getSpec().getReplicas()).isEqualTo(OperatorSettings.DEFAULT_REPLICAS);
    assertThat(defaulted.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(OperatorSettings.DEFAULT_NGINX_IMAGE);
    assertThat(overridden.getSpec().getReplicas()).isEqualTo(4);
    assertThat(overridden.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("my/nginx:1");
  }

  @Test
  void selectorIsASubsetOfThePodLabels() {
    Deployment deployment = deployment(enforce("example.com"));

    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }
}
