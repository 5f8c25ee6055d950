package dev.mtasts.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.mtasts.api.v1alpha1.GatewayListeners;
import dev.mtasts.api.v1alpha1.GatewayReference;
import dev.mtasts.api.v1alpha1.GatewaySettings;
import dev.mtasts.api.v1alpha1.IssuerReference;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.TxtEncoding;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The operator-wide defaults, shared by {@code run} and {@code render} so the preview matches what is applied. */
final class OperatorSettingsOptions {

  @Option(names = "--default-issuer", paramLabel = "NAME", defaultValue = "${env:MTASTS_DEFAULT_ISSUER:-"
      + OperatorSettings.DEFAULT_ISSUER + "}",
      description = "cert-manager issuer for policies that set no spec.certificate.issuerRef"
          + " (env MTASTS_DEFAULT_ISSUER; default: ${DEFAULT-VALUE}).")
  String issuer;

  @Option(names = "--default-issuer-kind", paramLabel = "KIND",
      defaultValue = "${env:MTASTS_DEFAULT_ISSUER_KIND:-ClusterIssuer}",
      description = "ClusterIssuer or Issuer (env MTASTS_DEFAULT_ISSUER_KIND; default: ${DEFAULT-VALUE}).")
  String issuerKind;

  @Option(names = "--default-ingress-class", paramLabel = "CLASS",
      defaultValue = "${env:MTASTS_DEFAULT_INGRESS_CLASS:-" + OperatorSettings.DEFAULT_INGRESS_CLASS + "}",
      description = "IngressClass for policies that set no spec.ingress.className; empty for the cluster's"
          + " default class (env MTASTS_DEFAULT_INGRESS_CLASS; default: ${DEFAULT-VALUE}).")
  String ingressClass;

  @Option(names = "--default-ingress-annotation", paramLabel = "KEY=VALUE",
      description = "An annotation for every Ingress, under the policy's own; repeatable.")
  Map<String, String> ingressAnnotations = new LinkedHashMap<>();

  @Option(names = "--default-dns-ttl", paramLabel = "SECONDS",
      defaultValue = "${env:MTASTS_DEFAULT_DNS_TTL:-" + OperatorSettings.DEFAULT_DNS_TTL + "}",
      description = "TTL of the TXT records for policies that set no spec.dns.ttl"
          + " (env MTASTS_DEFAULT_DNS_TTL; default: ${DEFAULT-VALUE}).")
  long dnsTtl;

  @Option(names = "--default-replicas", paramLabel = "N",
      defaultValue = "${env:MTASTS_DEFAULT_REPLICAS:-" + OperatorSettings.DEFAULT_REPLICAS + "}",
      description = "nginx replicas for policies that set no spec.server.replicas"
          + " (env MTASTS_DEFAULT_REPLICAS; default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--default-server-mode", paramLabel = "Shared|Dedicated",
      defaultValue = "${env:MTASTS_DEFAULT_SERVER_MODE:-" + "Dedicated" + "}",
      description = "How policies that set no spec.server.mode are served: Shared, by one policy server per"
          + " namespace for all of them; or Dedicated, by an nginx Deployment each"
          + " (env MTASTS_DEFAULT_SERVER_MODE; default: ${DEFAULT-VALUE}).")
  String serverMode;

  @Option(names = "--default-nginx-image", paramLabel = "IMAGE",
      defaultValue = "${env:MTASTS_DEFAULT_NGINX_IMAGE:-" + OperatorSettings.DEFAULT_NGINX_IMAGE + "}",
      description = "Unprivileged nginx image (listening on 8080) for policies that set no spec.server.image"
          + " (env MTASTS_DEFAULT_NGINX_IMAGE; default: ${DEFAULT-VALUE}).")
  String nginxImage;

  @Option(names = "--dns-endpoint-label", paramLabel = "KEY=VALUE",
      description = "A label for every DNSEndpoint, to match external-dns's --label-filter; repeatable.")
  Map<String, String> dnsEndpointLabels = new LinkedHashMap<>();

  @Option(names = "--dns-txt-encoding", paramLabel = "ENCODING",
      defaultValue = "${env:MTASTS_DNS_TXT_ENCODING:-plain}", converter = OperatorSettingsOptions.Encoding.class,
      description = "How the DNSEndpoint's TXT targets are written, as external-dns's provider wants them: plain"
          + " (coredns, azure) or quoted (pdns, aws, google, cloudflare: zone-file strings of at most 255 bytes);"
          + " see the README's \"DNS providers\" (env MTASTS_DNS_TXT_ENCODING; default: ${DEFAULT-VALUE}).")
  TxtEncoding txtEncoding;

  @Option(names = "--report-receiver-url", paramLabel = "URL", defaultValue = "${env:MTASTS_REPORT_RECEIVER_URL:-}",
      description = "Where the policy servers pass on the TLS-RPT reports POSTed to https://mta-sts.<domain>/tlsrpt"
          + " (policies with spec.tlsRpt.receive): the operator's receiver Service, as http://NAME:PORT with a fully"
          + " qualified NAME (nginx's resolver knows no search domains) or an IP address (env"
          + " MTASTS_REPORT_RECEIVER_URL; empty: no policy server passes reports on).")
  String reportReceiverUrl;

  @Option(names = "--report-receiver-resolver", paramLabel = "ADDRESS",
      description = "A DNS server the policy servers' nginx asks for the receiver's address, per report, so that a"
          + " name that does not resolve fails only the reports; repeatable (default: the nameservers of this"
          + " process's /etc/resolv.conf, the cluster DNS in a pod).")
  List<String> reportResolvers = new ArrayList<>();

  @Option(names = "--default-gateway", paramLabel = "NAMESPACE/NAME[/SECTION]",
      defaultValue = "${env:MTASTS_DEFAULT_GATEWAY:-}",
      description = "Expose the policy hosts of policies that set neither spec.ingress nor spec.gateway through"
          + " this Gateway (gateway.networking.k8s.io/v1) instead of an Ingress; SECTION, one of its listeners, only"
          + " with --default-gateway-listeners=Gateway (env MTASTS_DEFAULT_GATEWAY; default: an Ingress).")
  String defaultGateway;

  @Option(names = "--default-gateway-listeners", paramLabel = "ListenerSet|Gateway",
      defaultValue = "${env:MTASTS_DEFAULT_GATEWAY_LISTENERS:-ListenerSet}",
      description = "With --default-gateway: ListenerSet, the operator attaches one HTTPS listener per policy host"
          + " with its certificate; or Gateway, the Gateway's own listener covers the hosts and only the routes are"
          + " made (env MTASTS_DEFAULT_GATEWAY_LISTENERS; default: ${DEFAULT-VALUE}).")
  String defaultGatewayListeners;

  @Option(names = "--gateway-api", paramLabel = "true|false", arity = "1",
      defaultValue = "${env:MTASTS_GATEWAY_API:-true}",
      description = "Make and watch HTTPRoutes and ListenerSets (gateway.networking.k8s.io/v1) where the cluster"
          + " serves them; false where the operator may not (env MTASTS_GATEWAY_API; default: ${DEFAULT-VALUE}).")
  boolean gatewayApi;

  /** plain or quoted, as the flag is written; anything else is refused naming both. */
  static final class Encoding implements picocli.CommandLine.ITypeConverter<TxtEncoding> {
    @Override
    public TxtEncoding convert(String value) {
      return switch (value) {
        case "plain" -> TxtEncoding.PLAIN;
        case "quoted" -> TxtEncoding.QUOTED;
        default -> throw new picocli.CommandLine.TypeConversionException("\"" + value
            + "\" is neither plain nor quoted");
      };
    }
  }

  /** The settings; a flag that breaks its rule is a usage error of {@code command} (exit 2), naming the flag. */
  OperatorSettings toSettings(picocli.CommandLine command) {
    try {
      return toSettings();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(command, e.getMessage(), e);
    }
  }

  OperatorSettings toSettings() {
    OperatorSettings settings = new OperatorSettings(
        new IssuerReference(issuer, issuerKind, "cert-manager.io"),
        ingressClass,
        ingressAnnotations,
        dnsTtl,
        replicas,
        nginxImage,
        dnsEndpointLabels,
        txtEncoding);
    settings = settings.withGatewayApi(gatewayApi).withServerMode(serverMode(serverMode));
    if (defaultGateway != null && !defaultGateway.isBlank()) {
      settings = settings.withDefaultGateway(gateway(defaultGateway, defaultGatewayListeners));
    }
    if (reportReceiverUrl == null || reportReceiverUrl.isBlank()) {
      return settings;
    }
    return settings.withReportReceiver(receiverUri(reportReceiverUrl))
        .withReportResolvers(reportResolvers.isEmpty() ? ResolvConf.nameservers(Path.of("/etc/resolv.conf"))
            : reportResolvers);
  }

  static ServerMode serverMode(String mode) {
    return switch (mode) {
      case "Shared" -> ServerMode.SHARED;
      case "Dedicated" -> ServerMode.DEDICATED;
      default -> throw invalid("--default-server-mode: \"" + mode + "\" is neither Shared nor Dedicated");
    };
  }

  /** NAMESPACE/NAME[/SECTION] and the listeners, checked by the same rules as spec.gateway. */
  static GatewaySettings gateway(String reference, String listeners) {
    String[] parts = reference.trim().split("/", -1);
    GatewayListeners whose = switch (listeners) {
      case "ListenerSet" -> GatewayListeners.LISTENER_SET;
      case "Gateway" -> GatewayListeners.GATEWAY;
      default -> throw invalid("--default-gateway-listeners: \"" + listeners + "\" is neither ListenerSet nor Gateway");
    };
    if (parts.length < 2 || parts.length > 3
        || !parts[0].matches(GatewayReference.NAMESPACE_PATTERN) || parts[0].length() > 63
        || !parts[1].matches(GatewayReference.NAME_PATTERN) || parts[1].length() > 253
        || (parts.length == 3 && (!parts[2].matches(GatewayReference.NAME_PATTERN) || parts[2].length() > 253))) {
      throw invalid("--default-gateway: \"" + reference + "\" must be NAMESPACE/NAME or NAMESPACE/NAME/SECTION,"
          + " each a DNS name in lower case");
    }
    if (parts.length == 3 && whose != GatewayListeners.GATEWAY) {
      throw invalid("--default-gateway: a SECTION (\"" + parts[2] + "\") names a listener of the Gateway, which"
          + " only --default-gateway-listeners=Gateway attaches to");
    }
    GatewaySettings gateway = new GatewaySettings();
    gateway.setParentRef(new GatewayReference(parts[1], parts[0], parts.length == 3 ? parts[2] : null));
    gateway.setListeners(whose);
    return gateway;
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(message);
  }

  /** http://HOST:PORT, nothing else: the policy servers reach the receiver inside the cluster, without TLS. */
  static URI receiverUri(String url) {
    try {
      URI uri = new URI(url.trim());
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
          || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
        throw new IllegalArgumentException(
            "--report-receiver-url: \"" + url + "\" must be http://HOST:PORT (the receiver Service, no path)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--report-receiver-url: \"" + url + "\" is not a URL: " + e.getReason());
    }
  }
}
