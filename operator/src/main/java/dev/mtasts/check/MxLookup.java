package dev.mtasts.check;

import java.util.List;
import java.util.Optional;

/** The MX hosts of a domain, for the operator's MxCovered condition; the same lookups {@code check} makes. */
public final class MxLookup {

  /** The hosts, lowest preference first, or why the lookup failed. */
  public record Result(List<String> hosts, Optional<String> failure) {}

  private final DnsLookup dns;

  public MxLookup(CheckSettings settings) {
    this.dns = new DnsLookup(settings);
  }

  public Result lookup(String domain) {
    DnsLookup.Answer<DnsLookup.Mx> answer = dns.mx(domain);
    return new Result(answer.records().stream().map(DnsLookup.Mx::host).toList(), answer.failure());
  }
}
