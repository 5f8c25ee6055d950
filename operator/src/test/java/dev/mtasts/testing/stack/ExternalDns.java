package dev.mtasts.testing.stack;

import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.TestDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * external-dns (sigs.k8s.io/external-dns, built by test-infra/external-dns.sh) as a user runs it for us: the CRD
 * source (our DNSEndpoints) and the Ingress source (the policy hosts' A records, from the address the ingress
 * controller writes), the TXT registry, TXT among the managed record types, and the coredns provider writing to
 * the DNS server's etcd. It installs the module's own DNSEndpoint CRD.
 *
 * <p>Not the rfc2136 provider: v0.23.0's writes a TXT value through zone-file parsing, where {@code ;} starts a
 * comment, so {@code v=STSv1; id=...} reaches DNS as {@code "v=STSv1"}, and it never removes an old value (see
 * test-infra/README.md).
 */
final class ExternalDns implements AutoCloseable {

  static final String OWNER_ID = "mtasts-real-stack";
  /** How often external-dns syncs: its event trigger waits a fixed 5 s, a 1 s interval answers sooner. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final TestDaemon process;

  private ExternalDns(TestDaemon process) {
    this.process = process;
  }

  static ExternalDns start(KubernetesCluster cluster, CoreDns dns, List<String> zones, Path dir) {
    String version = KubernetesCluster.pinnedVersions().get("EXTERNAL_DNS_VERSION");
    cluster.installCrdFile(StackBinaries.cachedFile("external-dns/" + version + "/dnsendpoint-crd.yaml",
        "test-infra/external-dns.sh"));
    int metricsPort = Ports.free();
    List<String> command = new ArrayList<>(List.of(
        StackBinaries.cached("external-dns", "test-infra/external-dns.sh").toString(),
        "--kubeconfig", cluster.kubeconfigFile().toString(),
        "--source", "crd", "--source", "ingress",
        "--provider", "coredns",
        "--registry", "txt", "--txt-owner-id", OWNER_ID,
        // One type per flag: "A,CNAME,TXT" would be read as one (unknown) type and manage nothing.
        "--managed-record-types", "A", "--managed-record-types", "CNAME", "--managed-record-types", "TXT",
        "--policy", "sync",
        "--interval", INTERVAL.toSeconds() + "s",
        "--metrics-address", "127.0.0.1:" + metricsPort));
    for (String zone : zones) {
      command.addAll(List.of("--domain-filter", zone));
    }
    return new ExternalDns(TestDaemon.start(command, Map.of("ETCD_URLS", dns.etcdUrl()),
        dir.resolve("external-dns.log"),
        () -> TestDaemon.accepts(new java.net.InetSocketAddress("127.0.0.1", metricsPort)), Duration.ofSeconds(60)));
  }

  @Override
  public void close() {
    process.close();
  }
}
