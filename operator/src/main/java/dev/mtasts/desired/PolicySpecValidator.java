package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicySpec;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.api.v1alpha1.TlsReporting;
import dev.mtasts.rfc.MxPattern;
import dev.mtasts.rfc.Policy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CRD's rules, in Java, for resources that never met an API server ({@code render}) and as a last guard in the
 * operator. Reports every problem, each naming the field (API conventions path) and the rule.
 */
public final class PolicySpecValidator {

  private static final Pattern NAME = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern DOMAIN = Pattern.compile(MtaStsPolicySpec.DOMAIN_PATTERN);
  private static final Pattern RUA = Pattern.compile(TlsReporting.RUA_PATTERN);
  private static final int MAX_NAME = 48;
  private static final int MAX_DOMAINS = 100;
  private static final int MAX_DOMAIN_LENGTH = 242;
  private static final int MAX_MX = 50;

  private PolicySpecValidator() {}

  public static List<String> validate(MtaStsPolicy resource) {
    List<String> errors = new ArrayList<>();
    String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
    if (name == null || name.isEmpty()) {
      errors.add("metadata.name: required");
    } else if (!NAME.matcher(name).matches() || name.length() > MAX_NAME) {
      errors.add("metadata.name: \"" + name + "\": must start with a letter, hold only lower-case letters, digits"
          + " and '-', and be at most " + MAX_NAME + " characters long");
    }
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
    return errors;
  }

  private static void validateDomains(List<String> domains, List<String> errors) {
    if (domains == null || domains.isEmpty()) {
      errors.add("spec.domains: at least one domain is required");
      return;
    }
    if (domains.size() > MAX_DOMAINS) {
      errors.add("spec.domains: " + domains.size() + " domains is more than " + MAX_DOMAINS);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < domains.size(); i++) {
      String domain = domains.get(i);
      String field = "spec.domains[" + i + "]";
      if (domain == null || !DOMAIN.matcher(domain).matches()) {
        errors.add(field + ": \"" + domain + "\": must be a lower-case DNS name of at least two labels, such as"
            + " \"example.com\"");
      } else if (domain.length() > MAX_DOMAIN_LENGTH) {
        errors.add(field + ": \"" + domain + "\": longer than " + MAX_DOMAIN_LENGTH
            + " characters, so _smtp._tls.<domain> would exceed 253");
      } else if (!seen.add(domain)) {
        errors.add(field + ": \"" + domain + "\": listed more than once");
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
    if (mx.size() > MAX_MX) {
      errors.add("spec.mx: " + mx.size() + " patterns is more than " + MAX_MX);
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
    List<String> rua = tlsRpt.getRua();
    if (rua == null || rua.isEmpty()) {
      errors.add("spec.tlsRpt.rua: at least one report URI is required (RFC 8460 §3)");
      return;
    }
    if (rua.size() > 5) {
      errors.add("spec.tlsRpt.rua: " + rua.size() + " URIs is more than 5");
    }
    for (int i = 0; i < rua.size(); i++) {
      String uri = rua.get(i);
      if (uri == null || !RUA.matcher(uri).matches() || uri.length() > 256) {
        errors.add("spec.tlsRpt.rua[" + i + "]: \"" + uri + "\": must be a mailto: address or an https:// URI of"
            + " at most 256 characters, with ',', ';', '!' and spaces percent-encoded (RFC 8460 §3)");
      }
    }
  }

  private static void validateSettings(MtaStsPolicySpec spec, List<String> errors) {
    if (spec.getDns() != null && spec.getDns().getTtl() != null) {
      long ttl = spec.getDns().getTtl();
      if (ttl < 30 || ttl > 86400) {
        errors.add("spec.dns.ttl: " + ttl + " is outside 30 to 86400 seconds");
      }
    }
    if (spec.getServer() != null && spec.getServer().getReplicas() != null) {
      int replicas = spec.getServer().getReplicas();
      if (replicas < 1 || replicas > 20) {
        errors.add("spec.server.replicas: " + replicas + " is outside 1 to 20");
      }
    }
    if (spec.getCertificate() != null && spec.getCertificate().getIssuerRef() != null) {
      var issuer = spec.getCertificate().getIssuerRef();
      if (issuer.getName() == null || issuer.getName().isEmpty()) {
        errors.add("spec.certificate.issuerRef.name: required");
      }
      if (issuer.getKind() != null && !issuer.getKind().matches("^(Issuer|ClusterIssuer)$")) {
        errors.add("spec.certificate.issuerRef.kind: \"" + issuer.getKind() + "\": must be Issuer or ClusterIssuer");
      }
    }
    if (spec.getIngress() != null && spec.getIngress().getAnnotations() != null
        && spec.getIngress().getAnnotations().containsKey(PolicyIngress.HOSTNAME_ANNOTATION)) {
      errors.add("spec.ingress.annotations: " + PolicyIngress.HOSTNAME_ANNOTATION
          + " is set by the operator from spec.domains");
    }
  }

  /** The mode after the CRD's default (testing). */
  static PolicyMode mode(MtaStsPolicySpec spec) {
    return spec.getMode() == null ? PolicyMode.TESTING : spec.getMode();
  }
}
