package dev.mtasts.testing.stack;

import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.RestartableDaemon;
import dev.mtasts.testing.TestDaemon;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * external-dns (sigs.k8s.io/external-dns, built by test-infra/external-dns.sh) as a user runs it for us: the CRD
 * source (our DNSEndpoints), the Ingress source (the policy hosts' A records, from the address the ingress
 * controller writes) and the gateway-httproute source (the same for hosts routed by a Gateway, from its
 * status.addresses), the TXT registry, TXT among the managed record types, and one {@link Provider} writing to a
 * DNS server. It installs the module's own DNSEndpoint CRD. The real stack uses {@link CoreDnsEtcd}.
 *
 * <p>The providers read a TXT target differently (v0.23.0 against CoreDNS 1.15, PowerDNS 4.7 and Knot 3.2, run by
 * hand): coredns serves it as the text itself, so {@code v=STSv1; id=...} is right; pdns hands it to PowerDNS as
 * presentation text, which PowerDNS refuses unless it is in double quotes; rfc2136 parses it as zone-file text,
 * where {@code ;} starts a comment, and on a change removes the unquoted value it read back, which parses
 * differently, so with a value holding {@code ;} or a space the old record is never removed, whatever the quoting.
 * coredns reads TXT records back without their TTL, so with a {@code recordTTL} every sync rewrites the record and
 * adds one ownership TXT key to CoreDNS's etcd: the answers stay right, the store grows.
 */
public final class ExternalDns implements AutoCloseable {

  static final String OWNER_ID = "mtasts-real-stack";
  /** How often external-dns syncs: its event trigger waits a fixed 5 s, a 1 s interval answers sooner. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** The DNS server external-dns writes to: its {@code --provider} and what that provider needs to reach it. */
  public sealed interface Provider permits CoreDnsEtcd, Rfc2136, PowerDnsApi {

    /** {@code --provider} and the provider's own flags. */
    List<String> arguments();

    /** Settings the provider takes from the environment (etcd's address, secrets kept off the command line). */
    Map<String, String> environment();
  }

  /** The coredns provider: records in the SkyDNS layout in the etcd CoreDNS reads (external-dns's ETCD_URLS). */
  public record CoreDnsEtcd(String etcdUrl) implements Provider {

    @Override
    public List<String> arguments() {
      return List.of("--provider", "coredns");
    }

    @Override
    public Map<String, String> environment() {
      return Map.of("ETCD_URLS", etcdUrl);
    }
  }

  /**
   * The rfc2136 provider: dynamic updates to the server, signed with the TSIG key, and zone transfers to list what
   * is there; the server's ACL must allow the key both {@code update} and {@code transfer}.
   */
  public record Rfc2136(InetSocketAddress server, List<String> zones, TsigKey key) implements Provider {

    public Rfc2136 {
      zones = List.copyOf(zones);
      if (zones.isEmpty()) {
        throw new IllegalArgumentException("rfc2136: at least one zone (--rfc2136-zone)");
      }
    }

    @Override
    public List<String> arguments() {
      List<String> arguments = new ArrayList<>(List.of("--provider", "rfc2136",
          "--rfc2136-host", server.getAddress().getHostAddress(),
          "--rfc2136-port", String.valueOf(server.getPort()),
          "--rfc2136-tsig-keyname", key.name(),
          "--rfc2136-tsig-secret-alg", key.algorithm(),
          // Without it the provider lists nothing, so --policy=sync never updates or deletes a record.
          "--rfc2136-axfr"));
      for (String zone : zones) {
        arguments.addAll(List.of("--rfc2136-zone", zone));
      }
      return arguments;
    }

    @Override
    public Map<String, String> environment() {
      return Map.of("EXTERNAL_DNS_RFC2136_TSIG_SECRET", key.secret());
    }
  }

  /** A TSIG key as the DNS server knows it: name, algorithm (hmac-sha256), base64 secret. */
  public record TsigKey(String name, String algorithm, String secret) {}

  /** The pdns provider: PowerDNS's HTTP API (server id localhost), authorized by its API key. */
  public record PowerDnsApi(URI server, String apiKey) implements Provider {

    @Override
    public List<String> arguments() {
      return List.of("--provider", "pdns", "--pdns-server", server.toString());
    }

    @Override
    public Map<String, String> environment() {
      return Map.of("EXTERNAL_DNS_PDNS_API_KEY", apiKey);
    }
  }

  /**
   * What one external-dns instance manages: the zones (--domain-filter), the namespace of the objects it reads
   * (--namespace; empty: all), its --txt-owner-id, and its --managed-record-types (a wrong list is a scenario).
   */
  public record Scope(List<String> zones, java.util.Optional<String> namespace, String ownerId,
      List<String> managedTypes) {
    public static final List<String> TYPES = List.of("A", "CNAME", "TXT");

    /** The zones, from every namespace, with TXT managed: as the real stack runs it. */
    public static Scope of(List<String> zones) {
      return new Scope(zones, java.util.Optional.empty(), OWNER_ID, TYPES);
    }

    /** One scenario's own instance: its namespace only, its own owner id. */
    public static Scope namespace(String namespace, List<String> zones) {
      return new Scope(zones, java.util.Optional.of(namespace), "mtasts-" + namespace, TYPES);
    }

    public Scope managing(List<String> types) {
      return new Scope(zones, namespace, ownerId, types);
    }
  }

  private final RestartableDaemon process;

  private ExternalDns(RestartableDaemon process) {
    this.process = process;
  }

  /** As the real stack runs it: the coredns provider writing to the DNS server's etcd. */
  static ExternalDns start(KubernetesCluster cluster, CoreDns dns, List<String> zones, Path dir) {
    return start(cluster, new CoreDnsEtcd(dns.etcdUrl()), zones, dir);
  }

  /** Starts external-dns with the provider, allowed to write only below the zones; its log is external-dns.log. */
  public static ExternalDns start(KubernetesCluster cluster, Provider provider, List<String> zones, Path dir) {
    return start(cluster, provider, Scope.of(zones), dir);
  }

  /** As above, for what the scope says. */
  public static ExternalDns start(KubernetesCluster cluster, Provider provider, Scope scope, Path dir) {
    String version = KubernetesCluster.pinnedVersions().get("EXTERNAL_DNS_VERSION");
    cluster.installCrdFile(StackBinaries.cachedFile("external-dns/" + version + "/dnsendpoint-crd.yaml",
        "test-infra/external-dns.sh"));
    int metricsPort = Ports.free();
    List<String> command = command(StackBinaries.cached("external-dns", "test-infra/external-dns.sh"),
        cluster.kubeconfigFile(), provider, scope, metricsPort);
    return new ExternalDns(RestartableDaemon.start(n -> TestDaemon.start(command, provider.environment(),
        dir.resolve(RestartableDaemon.logName("external-dns.log", n)),
        () -> TestDaemon.accepts(new InetSocketAddress("127.0.0.1", metricsPort)), Duration.ofSeconds(60))));
  }

  /** The command line, the same for every provider but the provider's own part. */
  static List<String> command(Path binary, Path kubeconfig, Provider provider, List<String> zones, int metricsPort) {
    return command(binary, kubeconfig, provider, Scope.of(zones), metricsPort);
  }

  static List<String> command(Path binary, Path kubeconfig, Provider provider, Scope scope, int metricsPort) {
    List<String> zones = scope.zones();
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "--kubeconfig", kubeconfig.toString(),
        "--source", "crd", "--source", "ingress", "--source", "gateway-httproute"));
    scope.namespace().ifPresent(n -> command.addAll(List.of("--namespace", n)));
    command.addAll(provider.arguments());
    command.addAll(List.of("--registry", "txt", "--txt-owner-id", scope.ownerId()));
    // One type per flag: "A,CNAME,TXT" would be read as one (unknown) type and manage nothing.
    scope.managedTypes().forEach(type -> command.addAll(List.of("--managed-record-types", type)));
    command.addAll(List.of(
        // 0.23.0 refuses to start without an explicit policy.
        "--policy", "sync",
        "--interval", INTERVAL.toSeconds() + "s",
        // The default is :7979 on every interface.
        "--metrics-address", "127.0.0.1:" + metricsPort));
    for (String zone : zones) {
      command.addAll(List.of("--domain-filter", zone));
    }
    return command;
  }

  /** Stops external-dns at once (SIGKILL): records stay as they are in DNS until it runs again. */
  public void kill() {
    process.kill();
  }

  /** Starts it again after {@link #kill()}, with the same flags. */
  public void restart() {
    process.start();
  }

  @Override
  public void close() {
    process.close();
  }
}
