package dev.mtasts.publication;

import dev.mtasts.rfc.StsRecord;
import java.util.List;

/**
 * The policy as the operator publishes it: its content, the allocated id that goes into the {@code _mta-sts} TXT
 * record (and why it changed, if it did), the domains this resource may publish for (spec.domains in lower case,
 * less those another policy claimed first) and those it may not.
 */
public record PublishedPolicy(
    PolicyContent content, PolicyIdAllocator.Allocation id, List<String> domains, List<DomainConflict> conflicts) {

  public PublishedPolicy {
    domains = List.copyOf(domains);
    conflicts = List.copyOf(conflicts);
  }

  public String policyId() {
    return id.policyId();
  }

  /** RFC 8461 §3.1: the {@code _mta-sts} TXT record value. */
  public String stsRecord() {
    return StsRecord.of(policyId()).render();
  }
}
