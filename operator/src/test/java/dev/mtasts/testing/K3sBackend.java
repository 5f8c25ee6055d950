package dev.mtasts.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** k3s in a container, for contributors with a Docker engine: the same suite against a full distribution. */
final class K3sBackend {

  /** The k3s release matching the Kubernetes minor of test-infra/versions.env. */
  static final String IMAGE = "rancher/k3s:v1.34.2-k3s1";

  private K3sBackend() {}

  /** Why k3s cannot run here, or null when a Docker engine answers. */
  static String whyUnavailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable()
          ? null
          : "k3s needs a Docker engine, and none answers on this machine";
    } catch (RuntimeException | Error e) {
      return "k3s needs a Docker engine, and none answers on this machine (" + e.getClass().getSimpleName() + ")";
    }
  }

  static KubernetesCluster start() {
    String why = whyUnavailable();
    if (why != null) {
      throw new IllegalStateException("-D" + KubernetesCluster.BACKEND_PROPERTY + "=k3s: " + why
          + "; run the suite without it to use the locally built kube-apiserver");
    }
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(IMAGE));
    k3s.start();
    return KubernetesCluster.of("k3s " + IMAGE, k3s.getKubeConfigYaml(), k3s::stop);
  }
}
