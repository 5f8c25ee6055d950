package dev.mtasts.publication;

import dev.mtasts.api.gatewayapi.ListenerSetSpec;
import dev.mtasts.api.v1alpha1.GatewayReference;
import dev.mtasts.api.v1alpha1.GatewaySettings;
import dev.mtasts.api.v1alpha1.DnsSettings;
import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicySpec;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.api.v1alpha1.ServerSettings;
import dev.mtasts.api.v1alpha1.TlsReporting;
import dev.mtasts.rfc.MxPattern;
import dev.mtasts.rfc.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The CRD's rules, in Java, for resources that never met an API server ({@code render}) and as a last guard in the
 * operator, plus the rules no schema can check (they need the operator's MX check). Reports every problem, each
 * naming the field (API conventions path) and the rule. The bounds are the API classes' own constants.
 */
public final class PolicySpecValidator {

  private static final Pattern NAME = Pattern.compile(MtaStsPolicy.NAME_PATTERN);
  private static final Pattern DOMAIN = Pattern.compile(MtaStsPolicySpec.DOMAIN_PATTERN);
  private static final Pattern RUA = Pattern.compile(TlsReporting.RUA_PATTERN);
  private static final Pattern GATEWAY_NAME = Pattern.compile(GatewayReference.NAME_PATTERN);
  private static final Pattern GATEWAY_NAMESPACE = Pattern.compile(GatewayReference.NAMESPACE_PATTERN);
  private static final Pattern ISSUER_KIND = Pattern.compile("^(Issuer|ClusterIssuer)$");

  private PolicySpecValidator() {}

  /** The schema's rules: what the API server would refuse. */
  public static List<String> validate(MtaStsPolicy resource) {
    List<String> errors = new ArrayList<>();
    validateName(resource.getMetadata() == null ? null : resource.getMetadata().getName(), errors);
    MtaStsPolicySpec spec = resource.getSpec();
    if (spec == null) {
      errors.add("spec: required");
      return errors;
    }
    validateDomains(spec.getDomains(), errors);
    validateMx(spec, errors);
    validateMaxAge(spec.getMaxAge(), errors);
    validateTlsRpt(spec.getTlsRpt(), errors);
    validateSettings(spec, errors);
    validateGateway(spec, errors);
    return errors;
  }

  private static void validateGateway(MtaStsPolicySpec spec, List<String> errors) {
    GatewaySettings gateway = spec.getGateway();
    if (gateway == null) {
      return;
    }
    if (spec.getIngress() != null) {
      errors.add("spec.gateway: ingress and gateway are two ways to expose the policy hosts: set at most one");
    }
    GatewayReference parent = gateway.getParentRef();
    if (parent == null) {
      errors.add("spec.gateway.parentRef: required");
      return;
    }
    checkName("spec.gateway.parentRef.name", parent.getName(), true, GATEWAY_NAME, 253, errors);
    checkName("spec.gateway.parentRef.namespace", parent.getNamespace(), false, GATEWAY_NAMESPACE, 63, errors);
    checkName("spec.gateway.parentRef.sectionName", parent.getSectionName(), false, GATEWAY_NAME, 253, errors);
    if (parent.getSectionName() != null && gateway.ownListeners()) {
      errors.add("spec.gateway.parentRef.sectionName: names a listener of the Gateway, which only listeners: Gateway"
          + " attaches to; with listeners: ListenerSet the routes attach to the operator's own listeners");
    }
    if (gateway.ownListeners() && spec.getDomains() != null
        && spec.getDomains().size() > ListenerSetSpec.MAX_LISTENERS) {
      errors.add("spec.domains: " + spec.getDomains().size() + " domains is more than the "
          + ListenerSetSpec.MAX_LISTENERS + " listeners a ListenerSet holds (gateway.listeners ListenerSet): split"
          + " the domains, or use listeners: Gateway");
    }
  }

  private static void checkName(String field, String value, boolean required, Pattern pattern, int max,
      List<String> errors) {
    if (value == null) {
      if (required) {
        errors.add(field + ": required");
      }
      return;
    }
    if (value.isEmpty() || value.length() > max || !pattern.matcher(value).matches()) {
      errors.add(field + ": \"" + value + "\": must be a lower-case DNS name of 1 to " + max + " characters");
    }
  }

  /**
   * spec.discoverMx needs what no schema sees: the operator's MX check, and a first answer from it when spec.mx
   * alone cannot make a policy. Checked on a spec that passed {@link #validate}.
   */
  public static List<String> validateDiscovery(MtaStsPolicySpec spec, boolean mxCheck, List<String> discovered) {
    if (!spec.discoversMx()) {
      return List.of();
    }
    if (!mxCheck) {
      return List.of("spec.discoverMx: the operator runs without its MX check (--mx-check-interval=PT0S), so it"
          + " cannot discover MX hosts");
    }
    boolean noPatterns = spec.getMx() == null || spec.getMx().isEmpty();
    if (noPatterns && mode(spec) != PolicyMode.NONE && discovered.isEmpty()) {
      return List.of("spec.discoverMx: no MX host has been discovered yet and spec.mx is empty, so there is no"
          + " policy to publish");
    }
    return List.of();
  }

  private static void validateName(String name, List<String> errors) {
    if (name == null || name.isEmpty()) {
      errors.add("metadata.name: required");
    } else if (!NAME.matcher(name).matches() || name.length() > MtaStsPolicy.MAX_NAME_LENGTH) {
      errors.add("metadata.name: \"" + name + "\": must start with a letter, hold only lower-case letters, digits"
          + " and '-', and be at most " + MtaStsPolicy.MAX_NAME_LENGTH + " characters long");
    }
  }

  private static void validateDomains(List<String> domains, List<String> errors) {
    if (domains == null || domains.isEmpty()) {
      errors.add("spec.domains: at least one domain is required");
      return;
    }
    if (domains.size() > MtaStsPolicySpec.MAX_DOMAINS) {
      errors.add("spec.domains: " + domains.size() + " domains is more than " + MtaStsPolicySpec.MAX_DOMAINS);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < domains.size(); i++) {
      String domain = domains.get(i);
      String field = "spec.domains[" + i + "]";
      if (domain == null || !DOMAIN.matcher(domain).matches()) {
        errors.add(field + ": \"" + domain + "\": must be a DNS name of at least two labels, such as"
            + " \"example.com\"");
      } else if (domain.length() > MtaStsPolicySpec.MAX_DOMAIN_LENGTH) {
        errors.add(field + ": \"" + domain + "\": longer than " + MtaStsPolicySpec.MAX_DOMAIN_LENGTH
            + " characters, so _smtp._tls.<domain> would exceed 253");
      } else {
        // RFC 4343: "Example.com" and "example.com" are one DNS name, so one domain listed twice.
        Integer first = seen.putIfAbsent(domain.toLowerCase(Locale.ROOT), i);
        if (first != null && domains.get(first).equals(domain)) {
          errors.add(field + ": \"" + domain + "\": listed more than once");
        } else if (first != null) {
          errors.add(field + ": \"" + domain + "\": names the same domain as spec.domains[" + first + "]"
              + " (DNS names ignore case)");
        }
      }
    }
  }

  private static void validateMx(MtaStsPolicySpec spec, List<String> errors) {
    List<String> mx = spec.getMx() == null ? List.of() : spec.getMx();
    if (mx.isEmpty() && mode(spec) != PolicyMode.NONE && !spec.discoversMx()) {
      // RFC 8461 §3.2: mx is required at least once, except when mode is none.
      errors.add("spec.mx: at least one MX pattern is required unless mode is none or discoverMx is true"
          + " (RFC 8461 §3.2)");
    }
    if (mx.size() > MtaStsPolicySpec.MAX_MX) {
      errors.add("spec.mx: " + mx.size() + " patterns is more than " + MtaStsPolicySpec.MAX_MX);
    }
    for (int i = 0; i < mx.size(); i++) {
      String pattern = mx.get(i);
      Optional<String> error = pattern == null ? Optional.of("must not be null") : MxPattern.publishError(pattern);
      final int index = i;
      error.ifPresent(message -> errors.add("spec.mx[" + index + "]: " + message));
    }
  }

  private static void validateMaxAge(Long maxAge, List<String> errors) {
    if (maxAge == null) {
      return;
    }
    if (maxAge < 0) {
      errors.add("spec.maxAge: " + maxAge + " is below 0");
    } else if (maxAge > Policy.MAX_AGE_LIMIT) {
      // RFC 8461 §3.2: max_age is at most 31557600.
      errors.add("spec.maxAge: " + maxAge + " is above " + Policy.MAX_AGE_LIMIT + " (RFC 8461 §3.2)");
    }
  }

  private static void validateTlsRpt(TlsReporting tlsRpt, List<String> errors) {
    if (tlsRpt == null) {
      return;
    }
    List<String> rua = tlsRpt.getRua() == null ? List.of() : tlsRpt.getRua();
    if (rua.isEmpty() && !tlsRpt.receives()) {
      errors.add("spec.tlsRpt.rua: at least one report URI is required unless receive is true (RFC 8460 §3)");
      return;
    }
    if (rua.size() > TlsReporting.MAX_RUA) {
      errors.add("spec.tlsRpt.rua: " + rua.size() + " URIs is more than " + TlsReporting.MAX_RUA);
    }
    for (int i = 0; i < rua.size(); i++) {
      String uri = rua.get(i);
      if (uri == null || !RUA.matcher(uri).matches() || uri.length() > TlsReporting.MAX_RUA_LENGTH) {
        errors.add("spec.tlsRpt.rua[" + i + "]: \"" + uri + "\": must be a mailto: address or an https:// URI of"
            + " at most " + TlsReporting.MAX_RUA_LENGTH + " characters, with ',', ';', '!' and spaces"
            + " percent-encoded (RFC 8460 §3)");
      }
    }
  }

  private static void validateSettings(MtaStsPolicySpec spec, List<String> errors) {
    if (spec.getDns() != null && spec.getDns().getTtl() != null) {
      long ttl = spec.getDns().getTtl();
      if (ttl < DnsSettings.MIN_TTL || ttl > DnsSettings.MAX_TTL) {
        errors.add("spec.dns.ttl: " + ttl + " is outside " + DnsSettings.MIN_TTL + " to " + DnsSettings.MAX_TTL
            + " seconds");
      }
    }
    if (spec.getServer() != null && spec.getServer().getReplicas() != null) {
      int replicas = spec.getServer().getReplicas();
      if (replicas < ServerSettings.MIN_REPLICAS || replicas > ServerSettings.MAX_REPLICAS) {
        errors.add("spec.server.replicas: " + replicas + " is outside " + ServerSettings.MIN_REPLICAS + " to "
            + ServerSettings.MAX_REPLICAS);
      }
    }
    if (spec.getServer() != null && spec.getServer().getMode() == ServerMode.SHARED
        && (spec.getServer().getReplicas() != null || spec.getServer().getImage() != null)) {
      errors.add("spec.server.mode: Invalid value: " + ServerSettings.SHARED_TAKES_NO_SETTINGS);
    }
    if (spec.getCertificate() != null && spec.getCertificate().getIssuerRef() != null) {
      var issuer = spec.getCertificate().getIssuerRef();
      if (issuer.getName() == null || issuer.getName().isEmpty()) {
        errors.add("spec.certificate.issuerRef.name: required");
      }
      if (issuer.getKind() != null && !ISSUER_KIND.matcher(issuer.getKind()).matches()) {
        errors.add("spec.certificate.issuerRef.kind: \"" + issuer.getKind() + "\": must be Issuer or ClusterIssuer");
      }
    }
    if (spec.getIngress() != null && spec.getIngress().getAnnotations() != null
        && spec.getIngress().getAnnotations().containsKey(IngressSettings.HOSTNAME_ANNOTATION)) {
      errors.add("spec.ingress.annotations: " + IngressSettings.HOSTNAME_ANNOTATION
          + " is set by the operator from spec.domains");
    }
  }

  /** The mode after the CRD's default (testing). */
  static PolicyMode mode(MtaStsPolicySpec spec) {
    return spec.getMode() == null ? PolicyMode.TESTING : spec.getMode();
  }
}
