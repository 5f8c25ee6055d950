package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.GatewaySettings;
import dev.mtasts.api.v1alpha1.IssuerReference;
import dev.mtasts.api.v1alpha1.ServerMode;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Operator-wide defaults, set by flags of {@code run} (and {@code render}); a policy's spec overrides each.
 *
 * @param issuer the cert-manager issuer for policies that name none
 * @param ingressClass the IngressClass for policies that name none; empty for the cluster's default class
 * @param ingressAnnotations annotations put on every Ingress, under the policy's own
 * @param dnsTtlSeconds TTL of the TXT records for policies that set none
 * @param replicas nginx replicas for policies that set none
 * @param nginxImage the nginx image for policies that set none
 * @param dnsEndpointLabels labels put on every DNSEndpoint, matching external-dns's --label-filter
 * @param txtEncoding how the TXT targets are written for the external-dns provider in use
 * @param reportReceiver where the policy servers pass on the TLS-RPT reports POSTed to them (the operator's
 *     report receiver, e.g. {@code http://mta-sts-operator-reports.mta-sts-system.svc:8090}); empty when the
 *     operator receives none, and then {@code spec.tlsRpt.receive} is refused
 * @param reportResolvers the DNS servers the policy servers' nginx asks for the receiver's address when a report
 *     comes (the cluster DNS, as in the pods' /etc/resolv.conf, e.g. {@code 10.96.0.10}); nginx resolves the name
 *     per request, so that a name that does not resolve fails only the reports, never the policy. Not needed when
 *     the receiver is given by IP address; without one, a receiver given by name gets no report (502)
 * @param defaultGateway the Gateway that exposes the policy hosts of policies that set neither spec.ingress nor
 *     spec.gateway ({@code --default-gateway}); empty for an Ingress, as before Gateway API
 * @param gatewayApi whether the operator makes and watches Gateway API objects where the cluster serves them
 *     ({@code --gateway-api}; off where its ServiceAccount may not, so that no informer fails on a 403)
 * @param serverMode which policy server serves the policies that set no spec.server.mode
 *     ({@code --default-server-mode})
 */
public record OperatorSettings(
    IssuerReference issuer,
    String ingressClass,
    Map<String, String> ingressAnnotations,
    long dnsTtlSeconds,
    int replicas,
    String nginxImage,
    Map<String, String> dnsEndpointLabels,
    TxtEncoding txtEncoding,
    Optional<URI> reportReceiver,
    List<String> reportResolvers,
    Optional<GatewaySettings> defaultGateway,
    boolean gatewayApi,
    ServerMode serverMode) {

  public static final String DEFAULT_ISSUER = "letsencrypt-prod";
  public static final String DEFAULT_INGRESS_CLASS = "nginx";
  public static final long DEFAULT_DNS_TTL = 300;
  public static final int DEFAULT_REPLICAS = 2;
  /**
   * Dedicated, so that upgrading the operator moves no policy: sharing one server puts every policy of a namespace
   * in one failure domain, a choice the platform team makes per namespace or operator-wide.
   */
  public static final ServerMode DEFAULT_SERVER_MODE = ServerMode.DEDICATED;
  public static final String DEFAULT_NGINX_IMAGE = "nginxinc/nginx-unprivileged:1.29-alpine";

  public OperatorSettings {
    Objects.requireNonNull(issuer, "issuer");
    ingressClass = ingressClass == null ? "" : ingressClass;
    // Sorted, so that rendered objects never depend on hash order (Map.copyOf's order changes between runs).
    ingressAnnotations = Collections.unmodifiableMap(new TreeMap<>(ingressAnnotations));
    dnsEndpointLabels = Collections.unmodifiableMap(new TreeMap<>(dnsEndpointLabels));
    Objects.requireNonNull(nginxImage, "nginxImage");
    Objects.requireNonNull(txtEncoding, "txtEncoding");
    Objects.requireNonNull(reportReceiver, "reportReceiver");
    reportResolvers = List.copyOf(reportResolvers);
    Objects.requireNonNull(defaultGateway, "defaultGateway");
    Objects.requireNonNull(serverMode, "serverMode");
  }

  /** With the policies served by servers of their own unless they say otherwise. */
  public OperatorSettings(IssuerReference issuer, String ingressClass, Map<String, String> ingressAnnotations,
      long dnsTtlSeconds, int replicas, String nginxImage, Map<String, String> dnsEndpointLabels,
      TxtEncoding txtEncoding, Optional<URI> reportReceiver, List<String> reportResolvers,
      Optional<GatewaySettings> defaultGateway, boolean gatewayApi) {
    this(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage, dnsEndpointLabels,
        txtEncoding, reportReceiver, reportResolvers, defaultGateway, gatewayApi, DEFAULT_SERVER_MODE);
  }

  /** Without a default Gateway. */
  public OperatorSettings(IssuerReference issuer, String ingressClass, Map<String, String> ingressAnnotations,
      long dnsTtlSeconds, int replicas, String nginxImage, Map<String, String> dnsEndpointLabels,
      TxtEncoding txtEncoding, Optional<URI> reportReceiver, List<String> reportResolvers) {
    this(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage, dnsEndpointLabels,
        txtEncoding, reportReceiver, reportResolvers, Optional.empty(), true);
  }

  /** Without a report receiver. */
  public OperatorSettings(IssuerReference issuer, String ingressClass, Map<String, String> ingressAnnotations,
      long dnsTtlSeconds, int replicas, String nginxImage, Map<String, String> dnsEndpointLabels,
      TxtEncoding txtEncoding) {
    this(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage, dnsEndpointLabels,
        txtEncoding, Optional.empty(), List.of());
  }

  /** With the records' targets written plain, as the coredns and azure providers want them. */
  public OperatorSettings(IssuerReference issuer, String ingressClass, Map<String, String> ingressAnnotations,
      long dnsTtlSeconds, int replicas, String nginxImage, Map<String, String> dnsEndpointLabels) {
    this(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage, dnsEndpointLabels,
        TxtEncoding.PLAIN);
  }

  /** The same settings with the targets written another way. */
  public OperatorSettings withTxtEncoding(TxtEncoding encoding) {
    return new OperatorSettings(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage,
        dnsEndpointLabels, encoding, reportReceiver, reportResolvers, defaultGateway, gatewayApi, serverMode);
  }

  /** The same settings with the policy servers passing reports on to {@code receiver}. */
  public OperatorSettings withReportReceiver(URI receiver) {
    return new OperatorSettings(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage,
        dnsEndpointLabels, txtEncoding, Optional.of(receiver), reportResolvers, defaultGateway, gatewayApi, serverMode);
  }

  /** The same settings with the policy servers' nginx resolving the receiver's name through {@code resolvers}. */
  public OperatorSettings withReportResolvers(List<String> resolvers) {
    return new OperatorSettings(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage,
        dnsEndpointLabels, txtEncoding, reportReceiver, resolvers, defaultGateway, gatewayApi, serverMode);
  }

  /** The same settings with policies that choose no exposure exposed through {@code gateway}. */
  public OperatorSettings withDefaultGateway(GatewaySettings gateway) {
    return new OperatorSettings(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage,
        dnsEndpointLabels, txtEncoding, reportReceiver, reportResolvers, Optional.of(gateway), gatewayApi, serverMode);
  }

  /** The same settings with Gateway API objects made and watched, or not. */
  public OperatorSettings withGatewayApi(boolean enabled) {
    return new OperatorSettings(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage,
        dnsEndpointLabels, txtEncoding, reportReceiver, reportResolvers, defaultGateway, enabled, serverMode);
  }

  /** The same settings with policies that choose no server mode served as {@code mode} says. */
  public OperatorSettings withServerMode(ServerMode mode) {
    return new OperatorSettings(issuer, ingressClass, ingressAnnotations, dnsTtlSeconds, replicas, nginxImage,
        dnsEndpointLabels, txtEncoding, reportReceiver, reportResolvers, defaultGateway, gatewayApi, mode);
  }

  /** The defaults documented in {@code run --help}. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(
        new IssuerReference(DEFAULT_ISSUER, "ClusterIssuer", "cert-manager.io"),
        DEFAULT_INGRESS_CLASS,
        Map.of(),
        DEFAULT_DNS_TTL,
        DEFAULT_REPLICAS,
        DEFAULT_NGINX_IMAGE,
        Map.of());
  }
}
