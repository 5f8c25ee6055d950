package dev.mtasts.desired;

import dev.mtasts.rfc.StsRecord;
import java.util.List;

/**
 * The policy as the operator publishes it: its content, the id that goes into the {@code _mta-sts} TXT record,
 * and the domains this resource may publish for (all of spec.domains, less those another policy claimed first).
 */
public record PublishedPolicy(PolicyContent content, String policyId, List<String> domains) {

  public PublishedPolicy {
    domains = List.copyOf(domains);
  }

  /** RFC 8461 §3.1: the {@code _mta-sts} TXT record value. */
  public String stsRecord() {
    return StsRecord.of(policyId).render();
  }
}
