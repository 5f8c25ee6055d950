package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.server;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.api.v1alpha1.DnsSettings;
import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.rfc.PolicyHash;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyContentTest {

  private static String hash(dev.mtasts.api.v1alpha1.MtaStsPolicy policy) {
    return PolicyContent.of(policy).hash();
  }

  @Test
  void bodyIsWhatSendersFetch() {
    PolicyContent content = PolicyContent.of(enforce("example.com"));

    assertThat(content.body()).isEqualTo(
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 604800\r\n");
    assertThat(content.hash()).isEqualTo(PolicyHash.ofBody(content.body()));
  }

  @Test
  void servingSettingsDoNotChangeTheHash() {
    String before = hash(enforce("example.com"));

    assertThat(hash(with(enforce("example.com"), s -> s.setServer(server(5, "nginx:other"))))).isEqualTo(before);
    assertThat(hash(with(enforce("example.com"), s -> {
      IngressSettings ingress = new IngressSettings();
      ingress.setClassName("traefik");
      ingress.setAnnotations(Map.of("a", "b"));
      s.setIngress(ingress);
    }))).isEqualTo(before);
    assertThat(hash(with(enforce("example.com"), s -> {
      DnsSettings dns = new DnsSettings();
      dns.setTtl(60L);
      s.setDns(dns);
    }))).isEqualTo(before);
    assertThat(hash(with(enforce("example.com"), s -> s.setDomains(List.of("example.com", "example.org")))))
        .as("the domains are not in the policy body")
        .isEqualTo(before);
  }

  @Test
  void mxOrderCaseAndDuplicatesDoNotChangeTheHash() {
    String before = hash(enforce("example.com"));

    assertThat(hash(with(enforce("example.com"),
        s -> s.setMx(List.of("MX2.example.com", "mx1.example.com", "mx2.EXAMPLE.com")))))
        .isEqualTo(before);
  }

  @Test
  void whatSendersSeeChangesTheHash() {
    String before = hash(enforce("example.com"));

    assertThat(hash(with(enforce("example.com"), s -> s.setMode(PolicyMode.TESTING)))).isNotEqualTo(before);
    assertThat(hash(with(enforce("example.com"), s -> s.setMaxAge(86400L)))).isNotEqualTo(before);
    assertThat(hash(with(enforce("example.com"), s -> s.setMx(List.of("mx1.example.com"))))).isNotEqualTo(before);
  }

  @Test
  void defaultsMatchTheCrd() {
    PolicyContent content = PolicyContent.of(with(enforce("example.com"), s -> {
      s.setMode(null);
      s.setMaxAge(null);
    }));

    assertThat(content.body()).contains("mode: testing\r\n").contains("max_age: 604800\r\n");
  }

  @Test
  void invalidResourceListsEveryProblem() {
    var policy = with(enforce("example.com"), s -> {
      s.setMx(List.of("*.*.example.com"));
      s.setMaxAge(40_000_000L);
    });

    assertThatThrownBy(() -> PolicyContent.of(policy))
        .isInstanceOf(InvalidPolicyException.class)
        .hasMessageContaining("MtaStsPolicy mail/example-com is invalid")
        .hasMessageContaining("spec.mx[0]: ")
        .hasMessageContaining("spec.maxAge: 40000000 is above 31557600 (RFC 8461 §3.2)");
  }
}
