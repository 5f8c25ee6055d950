package dev.mtasts.testing.stack;

import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.TestDaemon;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * kube-controller-manager and kube-scheduler from the same Kubernetes release as the API server: the Deployment,
 * ReplicaSet, EndpointSlice, garbage-collector and namespace controllers that turn the operator's Deployment into
 * pods and addresses, and the scheduler that binds those pods to kwok's node.
 */
final class KubeControllers implements AutoCloseable {

  static final List<String> CONTROLLERS = List.of("deployment-controller", "replicaset-controller",
      "endpointslice-controller", "garbage-collector-controller", "namespace-controller",
      "serviceaccount-controller",
      // Keeps each PodDisruptionBudget's status (disruptionsAllowed), which the Eviction API reads.
      "disruption-controller",
      // Removes the not-ready taint the API server puts on a new Node once kwok reports it Ready.
      "node-lifecycle-controller");

  private final TestDaemon controllerManager;
  private final TestDaemon scheduler;

  private KubeControllers(TestDaemon controllerManager, TestDaemon scheduler) {
    this.controllerManager = controllerManager;
    this.scheduler = scheduler;
  }

  static KubeControllers start(KubernetesCluster cluster, Path dir) {
    String kubeconfig = cluster.kubeconfigFile().toString();
    int kcmPort = Ports.free();
    TestDaemon kcm = TestDaemon.start(List.of(
        StackBinaries.kubernetes("kube-controller-manager").toString(),
        "--kubeconfig", kubeconfig,
        "--authentication-kubeconfig", kubeconfig,
        "--authorization-kubeconfig", kubeconfig,
        "--leader-elect=false",
        "--controllers", String.join(",", CONTROLLERS),
        "--bind-address", "127.0.0.1",
        "--secure-port", String.valueOf(kcmPort),
        // Tests change Deployments often; the default 5 workers are plenty, but no resync delay is wanted.
        "--concurrent-deployment-syncs", "10",
        "--concurrent-replicaset-syncs", "10",
        "--concurrent-service-endpoint-syncs", "10",
        "--endpointslice-updates-batch-period", "0s"),
        dir.resolve("kube-controller-manager.log"),
        () -> TestDaemon.accepts(new InetSocketAddress("127.0.0.1", kcmPort)), Duration.ofSeconds(60));
    int schedulerPort = Ports.free();
    TestDaemon scheduler = TestDaemon.start(List.of(
        StackBinaries.kubernetes("kube-scheduler").toString(),
        "--kubeconfig", kubeconfig,
        "--authentication-kubeconfig", kubeconfig,
        "--authorization-kubeconfig", kubeconfig,
        "--leader-elect=false",
        "--bind-address", "127.0.0.1",
        "--secure-port", String.valueOf(schedulerPort)),
        dir.resolve("kube-scheduler.log"),
        () -> TestDaemon.accepts(new InetSocketAddress("127.0.0.1", schedulerPort)), Duration.ofSeconds(60));
    return new KubeControllers(kcm, scheduler);
  }

  @Override
  public void close() {
    scheduler.close();
    controllerManager.close();
  }
}
