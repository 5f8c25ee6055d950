package dev.mtasts.testing.stack;

import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.TestDaemon;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * kwok (sigs.k8s.io/kwok, built by test-infra/kwok.sh): two fake Nodes in two zones that the scheduler places pods
 * on, with no kubelet, so that spreading, cordoning and draining act as on a real cluster. The node stages the kwok module ships keep the Node Ready (a Lease heartbeat); our pod stages
 * (src/test/resources/kwok/pod-stages.yaml) give pods an address on loopback and make them Ready once the kubelet
 * stand-in has started their container.
 */
final class Kwok implements AutoCloseable {

  static final String NODE = "kwok-node-0";
  static final String SECOND_NODE = "kwok-node-1";
  static final List<String> NODES = List.of(NODE, SECOND_NODE);
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  static final Map<String, String> ZONES = Map.of(NODE, "zone-a", SECOND_NODE, "zone-b");
  /**
   * Pod addresses. Not loopback (the API server refuses loopback addresses in EndpointSlices): test-infra/setup.sh
   * routes this range to the local host, as a CNI plugin makes pod addresses reachable from their node, so that
   * nginx can listen on a pod's address and anything here can connect to it. The nodes have no spec.podCIDR: kwok
   * keeps one address pool per CIDR (ipPool in pkg/kwok/controllers/pod_controller.go), so both nodes draw from this
   * one pool and no two pods get the same address.
   */
  static final String POD_CIDR = "10.42.0.0/16";
  static final String NODE_IP = "127.0.0.1";

  private final TestDaemon process;

  private Kwok(TestDaemon process) {
    this.process = process;
  }

  static Kwok start(KubernetesCluster cluster, Path dir) {
    Path stages = StackBinaries.cachedFile("kwok/" + KubernetesCluster.pinnedVersions().get("KWOK_VERSION")
        + "/stages/node", "test-infra/kwok.sh");
    PodNetwork.requireLocalRoute(POD_CIDR);
    Path podStages = GoldenFile.repoRoot().resolve("operator/src/test/resources/kwok/pod-stages.yaml");
    var client = cluster.client();
    TestDaemon kwok = TestDaemon.start(List.of(
        StackBinaries.cached("kwok", "test-infra/kwok.sh").toString(),
        "--kubeconfig", cluster.kubeconfigFile().toString(),
        "--manage-nodes-with-annotation-selector", "kwok.x-k8s.io/node=fake",
        // Without a config file kwok keeps no node Lease, and the node lifecycle controller marks the node
        // NotReady after its grace period, taking every pod out of the EndpointSlices.
        "--node-lease-duration-seconds", "40",
        "--cidr", POD_CIDR,
        "--node-ip", NODE_IP,
        "-c", stages.resolve("fast/node-initialize.yaml").toString(),
        "-c", stages.resolve("heartbeat-with-lease/node-heartbeat-with-lease.yaml").toString(),
        "-c", podStages.toString()),
        dir.resolve("kwok.log"), () -> true, Duration.ofSeconds(5));
    for (String name : NODES) {
      client.nodes().resource(node(name)).serverSideApply();
    }
    for (String name : NODES) {
      TestDaemon.waitUntil(Duration.ofSeconds(60), () -> {
        Node node = client.nodes().withName(name).get();
        return node.getStatus() != null && node.getStatus().getConditions() != null
            && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      }, () -> "kwok did not make Node " + name + " Ready; see " + dir.resolve("kwok.log"));
    }
    return new Kwok(kwok);
  }

  /** A Node as kwok's documentation writes one: kwok's annotation, room for our pods, and its zone. */
  private static Node node(String name) {
    Map<String, Quantity> capacity = Map.of("cpu", new Quantity("32"), "memory", new Quantity("64Gi"),
        "pods", new Quantity("1000"));
    return new NodeBuilder()
        .withNewMetadata().withName(name)
          .addToAnnotations("kwok.x-k8s.io/node", "fake").addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
          .addToLabels("kubernetes.io/hostname", name).addToLabels(ZONE_LABEL, ZONES.get(name))
          .addToLabels("kubernetes.io/os", "linux")
          .addToLabels("kubernetes.io/arch", "amd64").addToLabels("type", "kwok")
        .endMetadata()
        .withNewStatus().withCapacity(capacity).withAllocatable(capacity).endStatus()
        .build();
  }

  @Override
  public void close() {
    process.close();
  }
}
