package dev.mtasts.testing.stack;

import dev.mtasts.api.v1alpha1.IssuerReference;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.ControlPlane;
import dev.mtasts.testing.KubernetesCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.PublishedRecordsLookup;
import dev.mtasts.operator.MtaStsOperator;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster with the real components a user runs beside the operator: kube-apiserver and etcd (a
 * {@link ControlPlane}, so that a test can kill and restart either while everything else keeps running and must
 * reconnect, as after a control-plane upgrade or crash), the controller manager and scheduler, kwok's two fake nodes
 * ({@link #NODES}, one per zone, to drain or cordon), cert-manager with a CA issuer, external-dns (CRD and Ingress sources,
 * coredns provider) writing the records CoreDNS answers from its etcd, the Gateway API CRDs and Traefik serving
 * Gateways of class {@value #GATEWAY_CLASS}. Two stand-ins remain, for what cannot run here: the kubelet's
 * running of the policy server container ({@link PolicyServerKubelet}) and an ingress controller's data plane
 * ({@link IngressFrontEnd}). Start order follows the dependencies; close stops everything in reverse.
 */
public final class RealStack implements AutoCloseable {

  /** The zones the DNS server is authoritative for, and external-dns may write to. */
  public static final List<String> ZONES = List.of("example.com", "example.org", "example.net");
  /** Where DNS listens: port 53, so that mta-sts-query (which reads /etc/resolv.conf) can ask it. */
  public static final InetSocketAddress DNS = new InetSocketAddress(loopback(0, 0, 54), 53);
  /** The ingress front end's address, which external-dns publishes for every policy host. */
  public static final InetAddress INGRESS_ADDRESS = loopback(0, 3, 1);
  /** Traefik's address (port 443), in its Gateways' status.addresses: external-dns publishes it for their routes. */
  public static final InetAddress GATEWAY_ADDRESS = loopback(0, 3, 2);
  /** The GatewayClass Traefik serves. */
  public static final String GATEWAY_CLASS = "traefik";
  /**
   * Zones CoreDNS forwards to servers a scenario starts itself at these addresses (port 53): Knot and PowerDNS,
   * as the primaries that take RFC 2136 updates or external-dns's pdns provider writes to.
   */
  public static final Map<String, InetSocketAddress> DELEGATED = Map.of(
      "knot.test", new InetSocketAddress(loopback(0, 5, 54), 53),
      "pdns.test", new InetSocketAddress(loopback(0, 5, 53), 53));
  /**
   * One of the delegated zones as its operator would set it up: SOA, NS and glue pointing at the server CoreDNS
   * forwards it to, then the extra lines (zone-file text relative to the zone).
   */
  public static String delegatedZone(String zone, String... lines) {
    return """
        $ORIGIN %1$s.
        @ 300 IN SOA ns1 hostmaster 1 3600 600 86400 60
        @ 300 IN NS ns1
        ns1 300 IN A %2$s
        """.formatted(zone, DELEGATED.get(zone).getAddress().getHostAddress())
        + String.join("\n", lines) + (lines.length == 0 ? "" : "\n");
  }

  /** The stack's kwok nodes, one per zone; each has its own kubelet stand-in. */
  public static final String FIRST_NODE = Kwok.NODE;
  public static final String SECOND_NODE = Kwok.SECOND_NODE;
  public static final List<String> NODES = Kwok.NODES;
  /** The well-known label topology spread constraints key on, and each node's value. */
  public static final String ZONE_LABEL = Kwok.ZONE_LABEL;
  public static final Map<String, String> NODE_ZONES = Kwok.ZONES;
  /**
   * How often the kubelet stand-ins copy ConfigMap changes into running pods' volumes. The real kubelet's default
   * sync period is 1 minute; shorter here so tests stay short.
   */
  public static final Duration KUBELET_SYNC_PERIOD = Duration.ofSeconds(2);

  /** The operator's --dns-publish-timeout here: DNS answers within seconds, so minutes late is a fault. */
  public static final Duration DNS_PUBLISH_TIMEOUT = Duration.ofMinutes(2);

  private final List<AutoCloseable> started;
  private final KubernetesCluster cluster;
  private final CoreDns dns;
  private final CertManager certManager;
  private final Map<String, PolicyServerKubelet> kubelets;
  private final ExternalDns externalDns;
  private final Path dir;

  private RealStack(List<AutoCloseable> started, KubernetesCluster cluster, CoreDns dns, CertManager certManager,
      Map<String, PolicyServerKubelet> kubelets, ExternalDns externalDns, Path dir) {
    this.started = started;
    this.cluster = cluster;
    this.dns = dns;
    this.certManager = certManager;
    this.kubelets = kubelets;
    this.externalDns = externalDns;
    this.dir = dir;
  }

  public static RealStack start(Path dir) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      // nginx's workers run unprivileged, as in the pod: they must reach the folders below this one.
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      KubernetesCluster cluster = KubernetesCluster.startRestartable(dir.resolve("control-plane"));
      started.add(cluster);
      cluster.installOurCrds();
      cluster.installGatewayApiCrds();
      started.add(KubeControllers.start(cluster, dir));
      started.add(Kwok.start(cluster, dir));
      CertManager certManager = CertManager.start(cluster, dir);
      started.add(certManager);
      CoreDns dns = CoreDns.start(ZONES, DELEGATED, DNS, dir);
      started.add(dns);
      Map<String, PolicyServerKubelet> kubelets = new LinkedHashMap<>();
      for (String node : NODES) {
        // Each node's pods in their own folder: pod names are unique in a namespace, not across nodes' pasts.
        PolicyServerKubelet kubelet = PolicyServerKubelet.start(cluster.client(), node,
            Files.createDirectories(dir.resolve("kubelet").resolve(node)), Set.of(OperatorSettings.DEFAULT_NGINX_IMAGE),
            KUBELET_SYNC_PERIOD);
        started.add(kubelet);
        kubelets.put(node, kubelet);
      }
      started.add(IngressFrontEnd.start(cluster.client(), OperatorSettings.DEFAULT_INGRESS_CLASS, INGRESS_ADDRESS,
          Files.createDirectories(dir.resolve("ingress"))));
      started.add(TraefikGateway.start(cluster, GATEWAY_CLASS, GATEWAY_ADDRESS,
          Files.createDirectories(dir.resolve("traefik"))));
      ExternalDns externalDns = ExternalDns.start(cluster, dns, ZONES, dir);
      started.add(externalDns);
      return new RealStack(started, cluster, dns, certManager, Map.copyOf(kubelets), externalDns, dir);
    } catch (IOException | RuntimeException e) {
      closeAll(started);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** The operator's settings on this stack: the CA issuer cert-manager runs here instead of Let's Encrypt. */
  public static OperatorSettings operatorSettings() {
    OperatorSettings defaults = OperatorSettings.defaults();
    return new OperatorSettings(new IssuerReference(CertManager.CA_ISSUER, "ClusterIssuer", "cert-manager.io"),
        defaults.ingressClass(), defaults.ingressAnnotations(), defaults.dnsTtlSeconds(), defaults.replicas(),
        defaults.nginxImage(), defaults.dnsEndpointLabels());
  }

  /**
   * The operator's DNS check on this stack as {@code run} makes it by default: the records at the zones'
   * authoritative server (found from the NS records CoreDNS serves), the policy URL fetched as a sender would,
   * trusting the stack's CA. The resolver that finds the name servers is CoreDNS too, as no other runs here.
   */
  public MtaStsOperator.DnsCheck dnsCheck() {
    return dnsCheck(DNS_PUBLISH_TIMEOUT);
  }

  /** As above, with another --dns-publish-timeout. */
  public MtaStsOperator.DnsCheck dnsCheck(Duration publishTimeout) {
    return new MtaStsOperator.DnsCheck(new CheckSettings(Optional.of(dns.address()), Optional.of(caFile()),
        Duration.ofSeconds(2), 25, Duration.ofDays(14)), PublishedRecordsLookup.Source.AUTHORITATIVE,
        Duration.ofMinutes(5), publishTimeout, true);
  }

  /** The stack's CA as a PEM file, for whatever trusts it by path. */
  public Path caFile() {
    Path file = dir.resolve("ca.pem");
    try {
      if (!Files.exists(file)) {
        Files.write(file, caPem());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesCluster cluster() {
    return cluster;
  }

  /** The stack's etcd and kube-apiserver, to kill and restart (their logs are in control-plane/ of dir). */
  public ControlPlane controlPlane() {
    return cluster.controlPlane().orElseThrow();
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  public InetSocketAddress dns() {
    return dns.address();
  }

  /** Writes a record external-dns cannot (MX): name, a key of its own, the SkyDNS JSON. */
  public void putDnsRecord(String name, String id, String json) {
    dns.put(name, id, json);
  }

  /** What external-dns has stored for the name in the DNS server's etcd (values joined). */
  public String dnsStore(String name) {
    return dns.get(name);
  }

  /** The CA that signs the policy hosts' certificates, PEM, as a sender's trust store would hold it. */
  public byte[] caPem() {
    return certManager.caPem();
  }

  /** A ClusterIssuer of that name signing with the stack's CA, as a second issuer of the same PKI would. */
  public void addCaIssuer(String name) {
    certManager.addCaIssuer(name);
  }

  // The faults a campaign injects: each stops one component at once (SIGKILL) or holds it, and the pair brings it
  // back as it was.

  public void stopExternalDns() {
    externalDns.kill();
  }

  public void startExternalDns() {
    externalDns.restart();
  }

  public void stopDnsServer() {
    dns.kill();
  }

  public void startDnsServer() {
    dns.restart();
  }

  public void stopCertManager() {
    certManager.kill();
  }

  public void startCertManager() {
    certManager.restart();
  }

  /** No node starts a new container until released: a rollout stalls with its new pods unready. */
  public void holdNewContainers() {
    kubelets.values().forEach(PolicyServerKubelet::hold);
  }

  public void releaseNewContainers() {
    kubelets.values().forEach(PolicyServerKubelet::release);
  }

  /** The kubelet stand-in of one of {@link #NODES}. */
  public PolicyServerKubelet kubelet(String nodeName) {
    PolicyServerKubelet kubelet = kubelets.get(nodeName);
    if (kubelet == null) {
      throw new IllegalArgumentException("No node " + nodeName + " on this stack; its nodes are " + NODES);
    }
    return kubelet;
  }

  /** How many policy server containers run now, on all nodes. */
  public int runningContainers() {
    return kubelets.values().stream().mapToInt(PolicyServerKubelet::runningContainers).sum();
  }

  /** What {@link #drain} did. */
  public record Drain(String node, List<String> evicted, int refused, List<String> remaining) {

    public boolean complete() {
      return remaining.isEmpty();
    }
  }

  /** {@link #drain(String, Duration)} with kubectl drain's patience of a rollout: two minutes. */
  public Drain drain(String nodeName) {
    return drain(nodeName, Duration.ofMinutes(2));
  }

  /**
   * As {@code kubectl drain} does it: cordon the node, then evict each of its pods through the Eviction API, so a
   * PodDisruptionBudget can refuse (429), retrying refused evictions every second until no pod is left on the node
   * or timeout has passed. DaemonSet pods stay, as with {@code --ignore-daemonsets}.
   */
  public Drain drain(String nodeName, Duration timeout) {
    kubelet(nodeName);
    KubernetesClient client = client();
    cordon(nodeName, true);
    List<String> evicted = new ArrayList<>();
    Set<String> evictedUids = new HashSet<>();
    int refused = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Pod> left = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems().stream()
          .filter(p -> p.getMetadata().getOwnerReferences() == null || p.getMetadata().getOwnerReferences().stream()
              .noneMatch(o -> "DaemonSet".equals(o.getKind())))
          .toList();
      if (left.isEmpty() || System.nanoTime() - deadline > 0) {
        return new Drain(nodeName, List.copyOf(evicted), refused,
            left.stream().map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).toList());
      }
      for (Pod pod : left) {
        if (evictedUids.contains(pod.getMetadata().getUid())) {
          continue; // evicted, waiting for kwok to delete it
        }
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        if (client.pods().inNamespace(ns).withName(name).evict()) {
          evictedUids.add(pod.getMetadata().getUid());
          evicted.add(ns + "/" + name);
        } else {
          refused++; // a PodDisruptionBudget said 429: kubectl drain waits and asks again
        }
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while draining " + nodeName, e);
      }
    }
  }

  /** Makes the node schedulable again, as {@code kubectl uncordon}. */
  public void uncordon(String nodeName) {
    cordon(nodeName, false);
  }

  /** Marks the node (un)schedulable, as {@code kubectl cordon}: its running pods stay. */
  public void cordon(String nodeName, boolean unschedulable) {
    kubelet(nodeName);
    client().nodes().withName(nodeName)
        .edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(unschedulable ? true : null).endSpec().build());
  }

  /** What a sender finds for domain on this stack. */
  public SenderView senderView(String domain) {
    return new SenderView(domain, dns(), caPem());
  }

  public Path dir() {
    return dir;
  }

  static InetAddress loopback(int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {127, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeAll(List<AutoCloseable> started) {
    List<AutoCloseable> reversed = new ArrayList<>(started);
    Collections.reverse(reversed);
    for (AutoCloseable component : reversed) {
      try {
        component.close();
      } catch (Exception e) {
        // Keep stopping the others; a component that fails to stop must not leave the rest running.
      }
    }
  }

  @Override
  public void close() {
    closeAll(started);
  }
}
