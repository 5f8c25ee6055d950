package dev.mtasts.desired;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.DNSEndpointSpec;
import dev.mtasts.api.externaldns.Endpoint;
import dev.mtasts.api.v1alpha1.DnsSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TXT records, as one external-dns DNSEndpoint: {@code _mta-sts.<domain>} with the policy id for every domain
 * (RFC 8461 §3.1) and, when TLS reporting is set, {@code _smtp._tls.<domain>} (RFC 8460 §3). external-dns keeps TXT
 * targets verbatim and manages TXT only when its --managed-record-types lists it.
 */
public final class PolicyDnsEndpoint {

  private PolicyDnsEndpoint() {}

  public static DNSEndpoint desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    long ttl = Optional.ofNullable(policy.getSpec().getDns()).map(DnsSettings::getTtl).orElse(settings.dnsTtlSeconds());
    // Written as the provider wants the value (--dns-txt-encoding); status and the RFC 2136 publisher decode it.
    String stsRecord = settings.txtEncoding().encode(published.stsRecord());

    List<Endpoint> endpoints = new ArrayList<>();
    for (String domain : published.domains()) {
      endpoints.add(new Endpoint(ObjectNames.stsRecordName(domain), Endpoint.TYPE_TXT, ttl, List.of(stsRecord)));
      Optional<String> tlsRptRecord =
          published.content().tlsRptFor(domain).map(r -> settings.txtEncoding().encode(r.render()));
      tlsRptRecord.ifPresent(record -> endpoints.add(
          new Endpoint(ObjectNames.tlsRptRecordName(domain), Endpoint.TYPE_TXT, ttl, List.of(record))));
    }

    var metadata = StandardLabels.metadata(policy, ObjectNames.dnsEndpoint(policy), StandardLabels.DNS_RECORDS);
    Map<String, String> labels = new LinkedHashMap<>(metadata.getLabels());
    labels.putAll(settings.dnsEndpointLabels()); // so that external-dns's --label-filter selects it
    metadata.setLabels(labels);

    DNSEndpoint endpoint = new DNSEndpoint();
    endpoint.setMetadata(metadata);
    endpoint.setSpec(new DNSEndpointSpec(endpoints));
    return endpoint;
  }
}
