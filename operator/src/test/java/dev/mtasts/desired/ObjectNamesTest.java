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
}
