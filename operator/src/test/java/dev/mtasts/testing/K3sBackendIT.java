package dev.mtasts.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The k3s backend starts and takes our CRD, where a Docker engine exists. Elsewhere it says in one line why it did
 * not run; the whole suite runs on k3s with {@code -Dmtasts.kubernetes=k3s}.
 */
class K3sBackendIT {

  @Test
  void k3sStartsAndTakesTheCrd() throws Exception {
    String why = K3sBackend.whyUnavailable();
    Assumptions.assumeTrue(why == null, () -> "k3s did not run: " + why);

    try (KubernetesCluster k3s = K3sBackend.start()) {
      k3s.installOurCrds();
      assertThat(k3s.client().apiextensions().v1().customResourceDefinitions()
          .withName("mtastspolicies.mtasts.dev").get()).isNotNull();
    }
  }
}
