package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What the policy says to senders, and how the operator serves and publishes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"domains", "mode", "rollout", "mx", "discoverMx", "maxAge", "tlsRpt", "certificate", "ingress",
    "gateway", "dns", "server"})
// A domain listed twice would be published twice: the API server refuses it, naming the index.
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input = "{\"properties\":{\"domains\":{\"x-kubernetes-list-type\":\"set\"}}}")
// RFC 8461 §3.2: mx is "required at least once, except when mode is none"; discovery supplies it from DNS.
@ValidationRule(
    value = "self.mode == 'none' || (has(self.mx) && size(self.mx) > 0) || (has(self.discoverMx) && self.discoverMx)",
    message = "at least one MX pattern is required unless mode is none or discoverMx is true (RFC 8461 §3.2)",
    fieldPath = ".mx",
    reason = "FieldValueRequired")
// The gate decides when to serve enforce mode, so it means nothing for another mode; the reports it reads need tlsRpt.
@ValidationRule(
    value = "!has(self.rollout) || self.mode == 'enforce'",
    message = "rollout needs mode enforce: it serves testing until its gate is met, then enforce",
    fieldPath = ".rollout",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.rollout) || has(self.tlsRpt)",
    message = "rollout needs tlsRpt: its gate reads the TLS-RPT reports the operator receives",
    fieldPath = ".rollout",
    reason = "FieldValueRequired")
// Two ways to expose the same hosts would race for them: one, or neither for the operator's default.
@ValidationRule(
    value = "!(has(self.ingress) && has(self.gateway))",
    message = "ingress and gateway are two ways to expose the policy hosts: set at most one (neither takes the"
        + " operator's default)",
    fieldPath = ".gateway",
    reason = "FieldValueForbidden")
// A ListenerSet holds at most 64 listeners, one per policy host.
@ValidationRule(
    value = "!has(self.gateway) || (has(self.gateway.listeners) && self.gateway.listeners == 'Gateway')"
        + " || size(self.domains) <= 64",
    message = "with gateway.listeners ListenerSet a policy lists at most 64 domains (a ListenerSet holds at most 64"
        + " listeners, one per policy host): split the domains, or use listeners: Gateway",
    fieldPath = ".domains",
    reason = "FieldValueInvalid")
public class MtaStsPolicySpec {

  /**
   * A host name of at least two labels whose last label starts with a letter (so no IP address). Any case: DNS
   * names ignore it (RFC 4343), and the operator publishes the lower-case form.
   */
  public static final String DOMAIN_PATTERN =
      "^([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$";
  public static final int MAX_DOMAINS = 100;
  /** So that _smtp._tls.&lt;domain&gt; stays within 253 characters. */
  public static final int MAX_DOMAIN_LENGTH = 242;
  public static final int MAX_MX = 50;
  public static final int MAX_MX_LENGTH = 253;

  /** A host name, or "*." and a host name; any case (senders compare case-insensitively). */
  public static final String MX_PATTERN =
      "^(\\*\\.)?([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$";

  @Required
  @Size(min = 1, max = MAX_DOMAINS)
  @JsonPropertyDescription(
      "The mail domains this policy is published for: 1 to 100 distinct DNS names, such as \"example.com\";"
          + " case does not matter (RFC 4343), the lower-case form is published. Each domain gets the policy host"
          + " mta-sts.<domain> (served over HTTPS) and the TXT record _mta-sts.<domain>. At most 242 characters each, so that _smtp._tls.<domain> stays within 253."
          + " A domain already claimed by an older MtaStsPolicy is refused (condition Ready, reason DomainConflict).")
  private List<@Pattern(DOMAIN_PATTERN) @Size(max = MAX_DOMAIN_LENGTH) String> domains;

  @Default("testing")
  @JsonPropertyDescription(
      "What senders do when an MX host fails validation (RFC 8461 §5): \"enforce\" refuses delivery, \"testing\""
          + " delivers and reports through TLS-RPT, \"none\" withdraws the policy (publish it for at least the old"
          + " maxAge before deleting the resource). Default: testing.")
  private PolicyMode mode;

  @JsonPropertyDescription(
      "A staged rollout to enforce mode (needs mode enforce and tlsRpt): the policy is served in testing mode"
          + " until the TLS-RPT reports received have been clean for cleanDays from minOrganizations senders and the"
          + " operator's STARTTLS probe of every live MX host passes; then enforce is served with a new id. It never"
          + " goes back to testing on its own: that is an edit of spec.mode.")
  private RolloutSettings rollout;

  @Size(max = MAX_MX)
  @ValidationRule(
      value = "self.all(m, !m.contains('*') || (m.startsWith('*.') && m.lastIndexOf('*') == 0))",
      message = "a wildcard may only replace the leftmost label, as in \"*.example.com\" (RFC 8461 §3.2)")
  @JsonPropertyDescription(
      "The MX host patterns senders may deliver to (RFC 8461 §3.2 and §4.1): a host name such as"
          + " \"mx1.example.com\", or \"*.\" followed by a host name, which covers exactly one leftmost label"
          + " (\"*.example.com\" covers \"mx1.example.com\" but neither \"example.com\" nor \"a.b.example.com\")."
          + " At least one unless mode is none; at most 50. Case, order and duplicates do not change the published"
          + " policy.")
  private List<@Pattern(MX_PATTERN) @Size(max = MAX_MX_LENGTH) String> mx;

  @JsonPropertyDescription(
      "When true, the policy's mx list also holds the live MX hosts of every domain, looked up by the operator"
          + " every --mx-check-interval: the served policy follows MX changes (a new id, published only once the"
          + " new policy is served), never becomes empty, and keeps the last good list (status.discoveredMx) when"
          + " a lookup fails. Needs the operator's MX check. Default: false.")
  private Boolean discoverMx;

  @Min(0)
  @Max(31557600)
  @Default("604800")
  @JsonPropertyDescription(
      "How long senders may cache the policy, in seconds (RFC 8461 §3.2): 0 to 31557600 (one year)."
          + " Default: 604800 (one week). Raise it once the policy has proved itself in enforce mode.")
  private Long maxAge;

  @JsonPropertyDescription(
      "SMTP TLS Reporting (RFC 8460): when set, the TXT record _smtp._tls.<domain> is published for every domain,"
          + " so that senders send daily reports of TLS failures. Strongly advised in testing mode.")
  private TlsReporting tlsRpt;

  @JsonPropertyDescription(
      "The cert-manager Certificate for the policy hosts. Default: the operator's --default-issuer.")
  private CertificateSettings certificate;

  @JsonPropertyDescription(
      "The Ingress that exposes the policy hosts. Default: the operator's --default-ingress-class. At most one of"
          + " ingress and gateway; with neither, the operator's default exposure (--default-gateway, else an"
          + " Ingress).")
  private IngressSettings ingress;

  @JsonPropertyDescription(
      "Expose the policy hosts through a Gateway API Gateway instead of an Ingress: an HTTPRoute per"
          + " mta-sts.<domain> (and, by default, a ListenerSet with their HTTPS listeners). At most one of ingress"
          + " and gateway.")
  private GatewaySettings gateway;

  @JsonPropertyDescription("The DNS records published through external-dns DNSEndpoint objects.")
  private DnsSettings dns;

  @JsonPropertyDescription(
      "The nginx Deployment that serves the policy file. Default: the operator's --default-nginx-image and"
          + " --default-replicas.")
  private ServerSettings server;

  public List<String> getDomains() {
    return domains;
  }

  public void setDomains(List<String> domains) {
    this.domains = domains;
  }

  public PolicyMode getMode() {
    return mode;
  }

  public void setMode(PolicyMode mode) {
    this.mode = mode;
  }

  public RolloutSettings getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSettings rollout) {
    this.rollout = rollout;
  }

  public List<String> getMx() {
    return mx;
  }

  public void setMx(List<String> mx) {
    this.mx = mx;
  }

  public Boolean getDiscoverMx() {
    return discoverMx;
  }

  public void setDiscoverMx(Boolean discoverMx) {
    this.discoverMx = discoverMx;
  }

  /** Whether the mx list is (also) discovered from DNS. */
  public boolean discoversMx() {
    return Boolean.TRUE.equals(discoverMx);
  }

  public Long getMaxAge() {
    return maxAge;
  }

  public void setMaxAge(Long maxAge) {
    this.maxAge = maxAge;
  }

  public TlsReporting getTlsRpt() {
    return tlsRpt;
  }

  public void setTlsRpt(TlsReporting tlsRpt) {
    this.tlsRpt = tlsRpt;
  }

  public CertificateSettings getCertificate() {
    return certificate;
  }

  public void setCertificate(CertificateSettings certificate) {
    this.certificate = certificate;
  }

  public IngressSettings getIngress() {
    return ingress;
  }

  public void setIngress(IngressSettings ingress) {
    this.ingress = ingress;
  }

  public GatewaySettings getGateway() {
    return gateway;
  }

  public void setGateway(GatewaySettings gateway) {
    this.gateway = gateway;
  }

  public DnsSettings getDns() {
    return dns;
  }

  public void setDns(DnsSettings dns) {
    this.dns = dns;
  }

  public ServerSettings getServer() {
    return server;
  }

  public void setServer(ServerSettings server) {
    this.server = server;
  }
}
