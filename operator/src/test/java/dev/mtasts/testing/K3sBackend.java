package dev.mtasts.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** k3s in a container, for contributors with a Docker engine: the same suite against a full distribution. */
final class K3sBackend {

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
    String image = KubernetesCluster.pinnedVersions().get("K3S_IMAGE");
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(image));
    k3s.start();
    return KubernetesCluster.of("k3s " + image, k3s.getKubeConfigYaml(), k3s::stop);
  }
}
