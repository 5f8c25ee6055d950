package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.api.Test;

class PolicyConfigMapTest {

  @Test
  void holdsThePolicyAndAnNginxConfigurationThatServesOnlyItWhereThePodMountsIt() {
    MtaStsPolicy policy = enforce("example.com");
    var published = PolicyBuildersTest.published(policy);
    ConfigMap configMap = PolicyConfigMap.desired(policy, OperatorSettings.defaults(), published);
    Container nginx = PolicyServerDeployment.desired(policy, OperatorSettings.defaults(), published)
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    String mounted = nginx.getVolumeMounts().stream().filter(m -> m.getName().equals("policy"))
        .map(VolumeMount::getMountPath).filter(p -> p.endsWith("/mta-sts.txt")).findFirst().orElseThrow()
        .replace("/mta-sts.txt", "");

    assertThat(configMap.getData()).containsOnlyKeys("mta-sts.txt", "nginx.conf");
    assertThat(configMap.getMetadata().getAnnotations())
        .as("what the shared server reads of this policy").containsOnly(entry("mtasts.dev/policy-hosts",
            "mta-sts.example.com"));
    assertThat(configMap.getData().get("mta-sts.txt")).isEqualTo(published.content().body());
    assertThat(nginx.getCommand()).containsExactly("nginx", "-c", mounted + "/nginx.conf");
    assertThat(configMap.getData().get("nginx.conf"))
        .contains("listen " + nginx.getPorts().get(0).getContainerPort() + " default_server;")
        .contains("location = /.well-known/mta-sts.txt {\n      limit_except GET { deny all; }\n      alias "
            + mounted + "/mta-sts.txt;\n    }")
        .contains("location / {\n      return 404;\n    }")
        .contains("default_type text/plain;");
  }
}
