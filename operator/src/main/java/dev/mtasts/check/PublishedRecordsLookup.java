package dev.mtasts.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code _mta-sts} and {@code _smtp._tls} TXT records of a domain as DNS answers them. By default at every
 * authoritative server of the domain's zone (found from the NS records through the resolver), since a sender's
 * resolver may ask any of them and a record one server lacks is a record some senders lack; or, for split-horizon
 * DNS, at the resolver alone.
 */
public final class PublishedRecordsLookup {

  /** Where the records are looked up. */
  public enum Source {
    /** Each server the NS records of the domain's zone name, on port 53. */
    AUTHORITATIVE,
    /** The resolver (the system's, or the one given). */
    RESOLVER
  }

  /**
   * What one server answered: the TXT values at each name (strings joined), or why it did not answer.
   *
   * @param server the server, as "ns1.example.com (192.0.2.53)" or the resolver's address
   */
  public record ServerAnswer(String server, List<String> stsRecords, List<String> tlsRptRecords,
      Optional<String> failure) {
    public ServerAnswer {
      stsRecords = List.copyOf(stsRecords);
      tlsRptRecords = List.copyOf(tlsRptRecords);
    }
  }

  /** Every server's answer for one domain, or why no server could be asked (no NS records, a failed lookup). */
  public record DomainAnswer(String domain, List<ServerAnswer> servers, Optional<String> failure) {
    public DomainAnswer {
      servers = List.copyOf(servers);
    }
  }

  private static final int DNS_PORT = 53;

  private final DnsLookup resolver;
  private final Source source;
  private final String resolverName;
  private final Duration timeout;

  public PublishedRecordsLookup(CheckSettings settings, Source source) {
    this.resolver = new DnsLookup(settings);
    this.source = source;
    this.resolverName = settings.resolver().map(a -> a.getHostString() + ":" + a.getPort()).orElse("the resolver");
    this.timeout = settings.timeout();
  }

  public DomainAnswer lookup(String domain) {
    if (source == Source.RESOLVER) {
      return new DomainAnswer(domain, List.of(ask(resolverName, resolver, domain)), Optional.empty());
    }
    Optional<Zone> zone = zoneOf(domain);
    if (zone.isEmpty()) {
      return new DomainAnswer(domain, List.of(), Optional.of("no NS records for " + domain + " or a parent zone"));
    }
    if (zone.get().failure().isPresent()) {
      return new DomainAnswer(domain, List.of(), zone.get().failure());
    }
    List<ServerAnswer> answers = new ArrayList<>();
    for (String host : zone.get().nameServers()) {
      DnsLookup.Answer<InetAddress> addresses = resolver.addresses(host);
      if (addresses.records().isEmpty()) {
        answers.add(new ServerAnswer(host, List.of(), List.of(), Optional.of("the name server " + host
            + " has no address" + addresses.failure().map(f -> " (" + f + ")").orElse(""))));
      }
      for (InetAddress address : addresses.records()) {
        String server = host + " (" + address.getHostAddress() + ")";
        answers.add(ask(server, new DnsLookup(new InetSocketAddress(address, DNS_PORT), timeout), domain));
      }
    }
    return new DomainAnswer(domain, answers, Optional.empty());
  }

  private record Zone(List<String> nameServers, Optional<String> failure) {}

  /** The closest enclosing zone with NS records: the domain itself, or a parent (mail.example.com in example.com). */
  private Optional<Zone> zoneOf(String domain) {
    for (String name = domain; name.contains("."); name = name.substring(name.indexOf('.') + 1)) {
      DnsLookup.Answer<String> ns = resolver.nameServers(name);
      if (ns.failed()) {
        return Optional.of(new Zone(List.of(), Optional.of("the NS lookup of " + name + " failed: "
            + ns.failure().get())));
      }
      if (!ns.records().isEmpty()) {
        return Optional.of(new Zone(ns.records().stream().sorted().toList(), Optional.empty()));
      }
    }
    return Optional.empty();
  }

  private static ServerAnswer ask(String server, DnsLookup dns, String domain) {
    DnsLookup.Answer<String> sts = dns.txt("_mta-sts." + domain);
    DnsLookup.Answer<String> tlsRpt = dns.txt("_smtp._tls." + domain);
    Optional<String> failure = sts.failure().map(f -> "_mta-sts." + domain + ": " + f)
        .or(() -> tlsRpt.failure().map(f -> "_smtp._tls." + domain + ": " + f));
    return new ServerAnswer(server, sts.records(), tlsRpt.records(), failure);
  }
}
