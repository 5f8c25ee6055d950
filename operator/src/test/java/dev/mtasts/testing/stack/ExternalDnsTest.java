package dev.mtasts.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.testing.stack.ExternalDns.CoreDnsEtcd;
import dev.mtasts.testing.stack.ExternalDns.PowerDnsApi;
import dev.mtasts.testing.stack.ExternalDns.Rfc2136;
import dev.mtasts.testing.stack.ExternalDns.TsigKey;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command lines external-dns is started with; each flag here was needed by v0.23.0 when run by hand. */
class ExternalDnsTest {

  private static final Path BINARY = Path.of("/cache/bin/external-dns");
  private static final Path KUBECONFIG = Path.of("/tmp/kubeconfig.yaml");
  private static final TsigKey KEY = new TsigKey("external-dns", "hmac-sha256", "c2VjcmV0");

  private static List<String> command(ExternalDns.Provider provider, List<String> zones) {
    return ExternalDns.command(BINARY, KUBECONFIG, provider, zones, 7979);
  }

  @Test
  void theRealStacksCorednsCommandIsUnchanged() {
    CoreDnsEtcd coredns = new CoreDnsEtcd("http://127.0.0.1:2379");

    assertThat(command(coredns, List.of("example.com", "example.org"))).containsExactly(
        "/cache/bin/external-dns", "--kubeconfig", "/tmp/kubeconfig.yaml",
        "--source", "crd", "--source", "ingress", "--source", "gateway-httproute",
        "--provider", "coredns",
        "--registry", "txt", "--txt-owner-id", "mtasts-real-stack",
        "--managed-record-types", "A", "--managed-record-types", "CNAME", "--managed-record-types", "TXT",
        "--policy", "sync", "--interval", "1s", "--metrics-address", "127.0.0.1:7979",
        "--domain-filter", "example.com", "--domain-filter", "example.org");
    assertThat(coredns.environment()).isEqualTo(Map.of("ETCD_URLS", "http://127.0.0.1:2379"));
  }

  @Test
  void rfc2136ListsByZoneTransferAndNamesEveryZone() {
    Rfc2136 rfc2136 = new Rfc2136(new InetSocketAddress("127.0.2.1", 5353), List.of("example.com", "example.org"),
        KEY);

    List<String> command = command(rfc2136, List.of("example.com", "example.org"));

    assertThat(String.join(" ", command)).contains(
        "--provider rfc2136 --rfc2136-host 127.0.2.1 --rfc2136-port 5353",
        "--rfc2136-tsig-keyname external-dns --rfc2136-tsig-secret-alg hmac-sha256 --rfc2136-axfr",
        "--rfc2136-zone example.com --rfc2136-zone example.org",
        "--policy sync");
    assertThat(command).doesNotContain("c2VjcmV0");
    assertThat(rfc2136.environment()).isEqualTo(Map.of("EXTERNAL_DNS_RFC2136_TSIG_SECRET", "c2VjcmV0"));
  }

  @Test
  void rfc2136WithoutAZoneIsRefused() {
    assertThatThrownBy(() -> new Rfc2136(new InetSocketAddress("127.0.2.1", 53), List.of(), KEY))
        .hasMessage("rfc2136: at least one zone (--rfc2136-zone)");
  }

  @Test
  void pdnsTalksToTheApiWithTheKeyOffTheCommandLine() {
    PowerDnsApi pdns = new PowerDnsApi(URI.create("http://127.0.0.1:8081"), "api-key");

    List<String> command = command(pdns, List.of("example.com"));

    assertThat(String.join(" ", command)).contains("--provider pdns --pdns-server http://127.0.0.1:8081");
    assertThat(command).doesNotContain("api-key");
    assertThat(pdns.environment()).isEqualTo(Map.of("EXTERNAL_DNS_PDNS_API_KEY", "api-key"));
  }
}
