package dev.mtasts.operator.dependent;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.DNSEndpointStatus;
import dev.mtasts.api.externaldns.Endpoint;
import dev.mtasts.api.v1alpha1.DomainStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.dnsupdate.TxtRecordWriter;
import dev.mtasts.publication.TxtEncoding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second publisher behind the DNSEndpoint: instead of handing the records to external-dns, writes them to the
 * zone's primary server with RFC 2136 updates signed by a TSIG key ({@code run --dns-publisher=rfc2136}). Holds no
 * state of its own: what is "handed over" is what the primary answers now, read before every decision, so a
 * restart, a failover or a hand edit on the server is seen and repaired.
 */
public final class DnsUpdatePublisher {

  private static final Logger log = LoggerFactory.getLogger(DnsUpdatePublisher.class);

  private final TxtRecordWriter writer;

  public DnsUpdatePublisher(TxtRecordWriter writer) {
    this.writer = writer;
  }

  /**
   * The records the primary holds at the names of the desired DNSEndpoint, as a DNSEndpoint read by its
   * publisher (observedGeneration = generation): the same view status reads in external-dns mode.
   */
  public DNSEndpoint handedOver(DNSEndpoint desired) {
    DNSEndpoint held = new DNSEndpoint();
    held.setMetadata(desired.getMetadata());
    held.getMetadata().setGeneration(1L);
    var spec = new dev.mtasts.api.externaldns.DNSEndpointSpec();
    List<Endpoint> endpoints = new ArrayList<>();
    for (Endpoint e : endpoints(desired)) {
      List<String> values = writer.read(e.getDnsName());
      if (!values.isEmpty()) {
        endpoints.add(new Endpoint(e.getDnsName(), Endpoint.TYPE_TXT, e.getRecordTTL(), values));
      }
    }
    spec.setEndpoints(endpoints);
    held.setSpec(spec);
    DNSEndpointStatus status = new DNSEndpointStatus();
    status.setObservedGeneration(1L);
    held.setStatus(status);
    return held;
  }

  /**
   * Makes the primary hold exactly the desired records: each name whose values differ is replaced in one update;
   * a name this policy published before (its status) and no longer wants is removed. Returns whether it wrote.
   */
  public boolean publish(MtaStsPolicy policy, DNSEndpoint desired) {
    boolean wrote = false;
    Set<String> wanted = new LinkedHashSet<>();
    for (Endpoint e : endpoints(desired)) {
      wanted.add(e.getDnsName());
      // Values, not targets: an update carries the bytes, whatever --dns-txt-encoding says for external-dns.
      List<String> values = e.getTargets().stream().map(TxtEncoding::decode).toList();
      if (!writer.read(e.getDnsName()).equals(values)) {
        writer.replace(e.getDnsName(), values, Duration.ofSeconds(e.getRecordTTL()));
        log.info("policy={}/{} step=dns-update {} = {}", policy.getMetadata().getNamespace(),
            policy.getMetadata().getName(), e.getDnsName(), values);
        wrote = true;
      }
    }
    for (String name : publishedNames(policy)) {
      if (!wanted.contains(name)) {
        remove(policy, name);
        wrote = true;
      }
    }
    return wrote;
  }

  /** Removes every record the policy published (by its status): on deletion of the policy. */
  public void removeAll(MtaStsPolicy policy) {
    publishedNames(policy).forEach(name -> remove(policy, name));
  }

  private void remove(MtaStsPolicy policy, String name) {
    writer.delete(name);
    log.info("policy={}/{} step=dns-update {} removed", policy.getMetadata().getNamespace(),
        policy.getMetadata().getName(), name);
  }

  /** The names this policy's status says it published: only those, never a name another policy claims. */
  static List<String> publishedNames(MtaStsPolicy policy) {
    if (policy.getStatus() == null || policy.getStatus().getDomains() == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (DomainStatus d : policy.getStatus().getDomains()) {
      if (d.getStsRecord() != null) {
        names.add(ObjectNames.stsRecordName(d.getName()));
      }
      if (d.getTlsRptRecord() != null) {
        names.add(ObjectNames.tlsRptRecordName(d.getName()));
      }
    }
    return names;
  }

  private static List<Endpoint> endpoints(DNSEndpoint endpoint) {
    return Optional.ofNullable(endpoint.getSpec()).map(s -> s.getEndpoints()).orElse(List.of()).stream()
        .filter(e -> Endpoint.TYPE_TXT.equals(e.getRecordType()) && e.getTargets() != null)
        .filter(Objects::nonNull).toList();
  }

  /** The primary the updates go to, as the operator was told it (--rfc2136-primary). */
  public String primary() {
    return writer.server();
  }

  @Override
  public String toString() {
    return "RFC 2136 publisher via " + writer;
  }
}
