package dev.mtasts.publication;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.server;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.DnsSettings;
import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.rfc.PolicyHash;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyContentTest {

  private static PolicyContent content(MtaStsPolicy policy) {
    return PolicyContent.of(policy.getSpec(), List.of());
  }

  private static String hash(MtaStsPolicy policy) {
    return content(policy).hash();
  }

  @Test
  void bodyIsWhatSendersFetch() {
    PolicyContent content = content(enforce("example.com"));

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
    PolicyContent content = content(with(enforce("example.com"), s -> {
      s.setMode(null);
      s.setMaxAge(null);
    }));

    assertThat(content.body()).contains("mode: testing\r\n").contains("max_age: 604800\r\n");
  }
}
