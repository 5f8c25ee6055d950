package dev.mtasts.desired;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names senders look up for a domain (RFC 8461 §3.1, §3.3; RFC 8460 §3). */
class ObjectNamesTest {

  @Test
  void aDomainsPolicyHostUrlAndRecordNames() {
    assertThat(ObjectNames.policyHost("example.com")).isEqualTo("mta-sts.example.com");
    assertThat(ObjectNames.policyUrl("example.com")).isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
    assertThat(ObjectNames.stsRecordName("example.com")).isEqualTo("_mta-sts.example.com");
    assertThat(ObjectNames.tlsRptRecordName("example.com")).isEqualTo("_smtp._tls.example.com");
  }

  @Test
  void aRouteIsNamedForItsDomainUnlessThatPasses253Characters() {
    var policy = dev.mtasts.testing.TestPolicies.enforce("example.com");
    String name = policy.getMetadata().getName();
    // The policy's name, "-", and a domain that together make exactly 253 characters, or one more.
    String fits = "a".repeat(253 - name.length() - 1 - ".example".length()) + ".example";
    String longer = "a" + fits;

    assertThat(ObjectNames.httpRoute(policy, "example.com")).isEqualTo(name + "-example.com");
    assertThat(ObjectNames.httpRoute(policy, fits)).isEqualTo(name + "-" + fits).hasSize(253);
    assertThat(ObjectNames.httpRoute(policy, longer)).hasSize(name.length() + 1 + 16)
        .isEqualTo(name + "-" + dev.mtasts.rfc.PolicyHash.ofBody(longer).substring(0, 16));
  }
}
