package dev.mtasts.publication;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The live MX hosts of a policy's domains, as last polled, and the domains whose lookup failed. A value, so the
 * polling event source triggers a reconciliation only when the answer changes.
 */
public record MxRecords(SortedMap<String, List<String>> hostsByDomain, SortedMap<String, String> failures) {

  public MxRecords(Map<String, List<String>> hostsByDomain, Map<String, String> failures) {
    this(new TreeMap<>(hostsByDomain), new TreeMap<>(failures));
  }

  /** Every live MX host of the domains, once each, in lower case (RFC 4343): the hosts a STARTTLS probe visits. */
  public SortedSet<String> hosts() {
    SortedSet<String> hosts = new TreeSet<>();
    hostsByDomain.values().forEach(list -> list.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT))));
    return hosts;
  }
}
