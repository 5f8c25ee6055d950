package dev.mtasts.publication;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.server;
import static dev.mtasts.testing.TestPolicies.tlsRpt;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.CertificateSettings;
import dev.mtasts.api.v1alpha1.DnsSettings;
import dev.mtasts.api.v1alpha1.GatewaySettings;
import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.IssuerReference;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.testing.TestPolicies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicySpecValidatorTest {

  static Stream<Arguments> invalidResources() {
    return Stream.of(
        Arguments.of("a domain listed twice in different case",
            with(enforce("example.com"), s -> s.setDomains(List.of("example.com", "EXAMPLE.com"))),
            "spec.domains[1]: \"EXAMPLE.com\": names the same domain as spec.domains[0] (DNS names ignore case)"),
        Arguments.of("single-label domain",
            with(enforce("example.com"), s -> s.setDomains(List.of("localhost"))),
            "spec.domains[0]: \"localhost\": must be a DNS name of at least two labels,"
                + " such as \"example.com\""),
        Arguments.of("duplicate domain",
            with(enforce("example.com"), s -> s.setDomains(List.of("example.com", "example.com"))),
            "spec.domains[1]: \"example.com\": listed more than once"),
        Arguments.of("no domains",
            with(enforce("example.com"), s -> s.setDomains(List.of())),
            "spec.domains: at least one domain is required"),
        Arguments.of("101 domains",
            with(enforce("example.com"), s -> s.setDomains(
                IntStream.range(0, 101).mapToObj(i -> "d" + i + ".example.com").toList())),
            "spec.domains: 101 domains is more than 100"),
        Arguments.of("no mx in enforce",
            with(enforce("example.com"), s -> s.setMx(List.of())),
            "spec.mx: at least one MX pattern is required unless mode is none or discoverMx is true"
                + " (RFC 8461 §3.2)"),
        Arguments.of("max_age above a year",
            with(enforce("example.com"), s -> s.setMaxAge(31_557_601L)),
            "spec.maxAge: 31557601 is above 31557600 (RFC 8461 §3.2)"),
        Arguments.of("negative max_age",
            with(enforce("example.com"), s -> s.setMaxAge(-1L)),
            "spec.maxAge: -1 is below 0"),
        Arguments.of("rua that is neither mailto nor https",
            with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt("http://reports.example.com"))),
            "spec.tlsRpt.rua[0]: \"http://reports.example.com\": must be a mailto: address or an https:// URI of"
                + " at most 256 characters, with ',', ';', '!' and spaces percent-encoded (RFC 8460 §3)"),
        Arguments.of("empty rua",
            with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt())),
            "spec.tlsRpt.rua: at least one report URI is required unless receive is true (RFC 8460 §3)"),
        Arguments.of("ttl too short",
            with(enforce("example.com"), s -> s.setDns(ttl(5L))),
            "spec.dns.ttl: 5 is outside 30 to 86400 seconds"),
        Arguments.of("name too long for the owned Service",
            named(enforce("example.com"), "a".repeat(49)),
            "metadata.name: \"" + "a".repeat(49) + "\": must start with a letter, hold only lower-case letters,"
                + " digits and '-', and be at most 48 characters long"),
        Arguments.of("no name", named(enforce("example.com"), null), "metadata.name: required"),
        Arguments.of("no spec", without(enforce("example.com")), "spec: required"),
        Arguments.of("a domain too long for its TLS-RPT record",
            with(enforce("example.com"), s -> s.setDomains(List.of(domainOfLength(243)))),
            "spec.domains[0]: \"" + domainOfLength(243) + "\": longer than 242 characters, so"
                + " _smtp._tls.<domain> would exceed 253"),
        Arguments.of("51 mx patterns",
            with(enforce("example.com"), s -> s.setMx(
                IntStream.range(0, 51).mapToObj(i -> "mx" + i + ".example.com").toList())),
            "spec.mx: 51 patterns is more than 50"),
        Arguments.of("6 report URIs",
            with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt(ruas(6)))),
            "spec.tlsRpt.rua: 6 URIs is more than 5"),
        Arguments.of("a report URI of 257 characters",
            with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt(ruaOfLength(257)))),
            "spec.tlsRpt.rua[0]: \"" + ruaOfLength(257) + "\": must be a mailto: address or an https:// URI of"
                + " at most 256 characters, with ',', ';', '!' and spaces percent-encoded (RFC 8460 §3)"),
        Arguments.of("ttl too long",
            with(enforce("example.com"), s -> s.setDns(ttl(86_401L))),
            "spec.dns.ttl: 86401 is outside 30 to 86400 seconds"),
        Arguments.of("ttl one second too short",
            with(enforce("example.com"), s -> s.setDns(ttl(29L))),
            "spec.dns.ttl: 29 is outside 30 to 86400 seconds"),
        Arguments.of("no replica",
            with(enforce("example.com"), s -> s.setServer(server(0, null))),
            "spec.server.replicas: 0 is outside 1 to 20"),
        Arguments.of("21 replicas",
            with(enforce("example.com"), s -> s.setServer(server(21, null))),
            "spec.server.replicas: 21 is outside 1 to 20"),
        Arguments.of("replicas of its own on the shared server",
            with(enforce("example.com"), s -> {
              s.setServer(server(3, null));
              s.getServer().setMode(dev.mtasts.api.v1alpha1.ServerMode.SHARED);
            }),
            "spec.server.mode: Invalid value: replicas and image apply to mode Dedicated only: the shared policy server takes the"
                + " operator's"),
        Arguments.of("an issuer without a name",
            with(enforce("example.com"), s -> s.setCertificate(issuer(null, "ClusterIssuer"))),
            "spec.certificate.issuerRef.name: required"),
        Arguments.of("an issuer with an empty name",
            with(enforce("example.com"), s -> s.setCertificate(issuer("", null))),
            "spec.certificate.issuerRef.name: required"),
        Arguments.of("an issuer of an unknown kind",
            with(enforce("example.com"), s -> s.setCertificate(issuer("letsencrypt", "Vault"))),
            "spec.certificate.issuerRef.kind: \"Vault\": must be Issuer or ClusterIssuer"),
        Arguments.of("the hostname annotation external-dns would read",
            with(enforce("example.com"), s -> s.setIngress(ingress(Map.of(
                "external-dns.alpha.kubernetes.io/hostname", "mta-sts.example.com")))),
            "spec.ingress.annotations: external-dns.alpha.kubernetes.io/hostname is set by the operator from"
                + " spec.domains"),
        Arguments.of("an Ingress and a Gateway",
            with(TestPolicies.throughGateway("example.com"), s -> s.setIngress(new IngressSettings())),
            "spec.gateway: ingress and gateway are two ways to expose the policy hosts: set at most one"),
        Arguments.of("a Gateway without a reference",
            with(enforce("example.com"), s -> s.setGateway(new GatewaySettings())),
            "spec.gateway.parentRef: required"),
        Arguments.of("a Gateway without a name",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway("infra", null, null, true))),
            "spec.gateway.parentRef.name: required"),
        Arguments.of("a Gateway name in upper case",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway("infra", "Shared", null, true))),
            "spec.gateway.parentRef.name: \"Shared\": must be a lower-case DNS name of 1 to 253 characters"),
        Arguments.of("an empty Gateway namespace",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway("", "shared", null, true))),
            "spec.gateway.parentRef.namespace: \"\": must be a lower-case DNS name of 1 to 63 characters"),
        Arguments.of("a Gateway namespace of 64 characters",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway("n".repeat(64), "shared", null,
                true))),
            "spec.gateway.parentRef.namespace: \"" + "n".repeat(64) + "\": must be a lower-case DNS name of 1 to 63"
                + " characters"),
        Arguments.of("a section with our own listeners",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway("infra", "shared", "https", true))),
            "spec.gateway.parentRef.sectionName: names a listener of the Gateway, which only listeners: Gateway"
                + " attaches to; with listeners: ListenerSet the routes attach to the operator's own listeners"),
        Arguments.of("a malformed section",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway("infra", "shared", "-https", false))),
            "spec.gateway.parentRef.sectionName: \"-https\": must be a lower-case DNS name of 1 to 253 characters"),
        Arguments.of("65 domains on a ListenerSet",
            with(TestPolicies.throughGateway("example.com"), s -> s.setDomains(
                IntStream.range(0, 65).mapToObj(i -> "d" + i + ".example.com").toList())),
            "spec.domains: 65 domains is more than the 64 listeners a ListenerSet holds (gateway.listeners"
                + " ListenerSet): split the domains, or use listeners: Gateway"));
  }

  static Stream<Arguments> acceptedAtTheBounds() {
    return Stream.of(
        Arguments.of("max_age 0", with(enforce("example.com"), s -> s.setMaxAge(0L))),
        Arguments.of("max_age of a year", with(enforce("example.com"), s -> s.setMaxAge(31_557_600L))),
        Arguments.of("mode none without mx", with(enforce("example.com"), s -> {
          s.setMode(PolicyMode.NONE);
          s.setMx(null);
        })),
        Arguments.of("a name of 48 characters", named(enforce("example.com"), "a".repeat(48))),
        Arguments.of("a domain of 242 characters",
            with(enforce("example.com"), s -> s.setDomains(List.of(domainOfLength(242))))),
        Arguments.of("50 mx patterns", with(enforce("example.com"), s -> s.setMx(
            IntStream.range(0, 50).mapToObj(i -> "mx" + i + ".example.com").toList()))),
        Arguments.of("5 report URIs", with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt(ruas(5))))),
        Arguments.of("a report URI of 256 characters",
            with(enforce("example.com"), s -> s.setTlsRpt(tlsRpt(ruaOfLength(256))))),
        Arguments.of("ttl of 30 seconds", with(enforce("example.com"), s -> s.setDns(ttl(30L)))),
        Arguments.of("ttl of a day", with(enforce("example.com"), s -> s.setDns(ttl(86_400L)))),
        Arguments.of("dns settings without a ttl", with(enforce("example.com"), s -> s.setDns(new DnsSettings()))),
        Arguments.of("1 replica", with(enforce("example.com"), s -> s.setServer(server(1, null)))),
        Arguments.of("20 replicas", with(enforce("example.com"), s -> s.setServer(server(20, null)))),
        Arguments.of("server settings without replicas",
            with(enforce("example.com"), s -> s.setServer(server(null, "nginx:other")))),
        Arguments.of("an Issuer", with(enforce("example.com"), s -> s.setCertificate(issuer("local", "Issuer")))),
        Arguments.of("a ClusterIssuer",
            with(enforce("example.com"), s -> s.setCertificate(issuer("letsencrypt", "ClusterIssuer")))),
        Arguments.of("an issuer without a kind (cert-manager's default, Issuer)",
            with(enforce("example.com"), s -> s.setCertificate(issuer("local", null)))),
        Arguments.of("ingress annotations of our own",
            with(enforce("example.com"), s -> s.setIngress(ingress(Map.of("nginx.ingress.kubernetes.io/ssl-redirect",
                "true"))))),
        Arguments.of("64 domains on a ListenerSet",
            with(TestPolicies.throughGateway("example.com"), s -> s.setDomains(
                IntStream.range(0, 64).mapToObj(i -> "d" + i + ".example.com").toList()))),
        Arguments.of("65 domains on the Gateway's listeners",
            with(enforce("example.com"), s -> {
              s.setDomains(IntStream.range(0, 65).mapToObj(i -> "d" + i + ".example.com").toList());
              s.setGateway(TestPolicies.gateway("infra", "shared", "https", false));
            })),
        Arguments.of("a Gateway of 253 characters in the policy's namespace",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway(null, "g".repeat(253), null,
                true)))),
        Arguments.of("a one-letter namespace and section",
            with(enforce("example.com"), s -> s.setGateway(TestPolicies.gateway("n", "shared", "s", false)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedAtTheBounds")
  void acceptsTheEdgesOfEachRule(String description, MtaStsPolicy resource) {
    assertThat(PolicySpecValidator.validate(resource)).isEmpty();
  }

  /** A valid domain of the given length: labels of 63 characters, then a shorter one, then ".com". */
  static String domainOfLength(int length) {
    StringBuilder domain = new StringBuilder();
    while (length - domain.length() - 4 > 64) {
      domain.append("a".repeat(63)).append('.');
    }
    return domain.append("b".repeat(length - domain.length() - 4)).append(".com").toString();
  }

  static String[] ruas(int count) {
    return IntStream.range(0, count).mapToObj(i -> "mailto:tlsrpt" + i + "@example.com").toArray(String[]::new);
  }

  static String ruaOfLength(int length) {
    String prefix = "https://reports.example.com/";
    return prefix + "r".repeat(length - prefix.length());
  }

  static DnsSettings ttl(long seconds) {
    DnsSettings dns = new DnsSettings();
    dns.setTtl(seconds);
    return dns;
  }

  static CertificateSettings issuer(String name, String kind) {
    CertificateSettings certificate = new CertificateSettings();
    certificate.setIssuerRef(new IssuerReference(name, kind, null));
    return certificate;
  }

  static IngressSettings ingress(Map<String, String> annotations) {
    IngressSettings ingress = new IngressSettings();
    ingress.setAnnotations(annotations);
    return ingress;
  }

  static MtaStsPolicy without(MtaStsPolicy policy) {
    policy.setSpec(null);
    return policy;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void refusesNamingTheFieldAndTheRule(String description, MtaStsPolicy resource, String expected) {
    assertThat(PolicySpecValidator.validate(resource)).containsExactly(expected);
  }

  @Test
  void wildcardInTheMiddleIsRefusedAtItsIndex() {
    var resource = with(enforce("example.com"), s -> s.setMx(List.of("mx1.example.com", "mail.*.example.com")));

    assertThat(PolicySpecValidator.validate(resource))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("spec.mx[1]: ")
        .contains("mail.*.example.com");
  }

  @Test
  void listsEveryProblemNotJustTheFirst() {
    var resource = with(enforce("example.com"), s -> {
      s.setDomains(List.of("example_com.test", "ok.example.com", "ok.example.com"));
      s.setMaxAge(40_000_000L);
      s.setTlsRpt(tlsRpt("ftp://x"));
    });

    assertThat(PolicySpecValidator.validate(resource)).hasSize(4);
  }

  @Test
  void acceptsOneHundredDomainsInAnyOrder() {
    List<String> hundred = new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> "d" + i + ".example.com").toList());
    Collections.shuffle(hundred, new java.util.Random(1));
    assertThat(PolicySpecValidator.validate(with(enforce("example.com"), s -> s.setDomains(hundred)))).isEmpty();
  }

  private static MtaStsPolicy named(MtaStsPolicy policy, String name) {
    policy.getMetadata().setName(name);
    return policy;
  }
}
