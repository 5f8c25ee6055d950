package dev.mtasts.publication;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator's STARTTLS probes of a policy's live MX hosts (those of {@link MxRecords}, not the policy's
 * patterns), one per host, as last probed. A value, so the probing event source triggers a reconciliation only
 * when a result changes.
 *
 * @param byHost the latest probe of each host, keyed by host name in lower case
 * @param maxAge how old a probe may be and still count: older ones are stale, as when probing stopped
 */
public record MxTlsProbes(SortedMap<String, MxTlsProbe> byHost, Duration maxAge) {

  public MxTlsProbes(Map<String, MxTlsProbe> byHost, Duration maxAge) {
    this(new TreeMap<>(byHost), maxAge);
  }

  public static MxTlsProbes of(Collection<MxTlsProbe> probes, Duration maxAge) {
    SortedMap<String, MxTlsProbe> byHost = new TreeMap<>();
    probes.forEach(p -> byHost.put(p.host(), p));
    return new MxTlsProbes(byHost, maxAge);
  }

  public Optional<MxTlsProbe> probeOf(String host) {
    return Optional.ofNullable(byHost.get(host.toLowerCase(Locale.ROOT)));
  }

  /** True when every host passed within maxAge of now; false when any failed, is missing or stale, or none given. */
  public boolean allPassed(Collection<String> mxHosts, Instant now) {
    return problems(mxHosts, now).isEmpty();
  }

  /** As {@link #allPassed(Collection, Instant)} for the live MX hosts of every domain; false if a lookup failed. */
  public boolean allPassed(MxRecords records, Instant now) {
    return problems(records, now).isEmpty();
  }

  /** One sentence per host that does not count as passed, in host order: what a condition message can list. */
  public List<String> problems(Collection<String> mxHosts, Instant now) {
    if (mxHosts.isEmpty()) {
      return List.of("no MX host to probe");
    }
    List<String> problems = new ArrayList<>();
    for (String host : new TreeSet<>(mxHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList())) {
      MxTlsProbe probe = byHost.get(host);
      if (probe == null) {
        problems.add(host + ": not probed yet");
      } else if (!probe.passed()) {
        problems.add(probe.detail());
      } else if (probe.probedAt().plus(maxAge).isBefore(now)) {
        problems.add(host + ": last probed at " + probe.probedAt() + ", more than " + maxAge + " ago");
      }
    }
    return problems;
  }

  /** As {@link #problems(Collection, Instant)} for the live MX hosts of every domain, after any failed lookup. */
  public List<String> problems(MxRecords records, Instant now) {
    List<String> problems = new ArrayList<>();
    records.failures().forEach((domain, failure) -> problems.add(domain + ": the MX lookup failed: " + failure));
    problems.addAll(problems(records.hosts(), now));
    return problems;
  }
}
