package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** How the policy hosts are exposed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IngressSettings {

  /** external-dns makes the policy hosts' address records from it; the operator sets it from spec.domains. */
  public static final String HOSTNAME_ANNOTATION = "external-dns.alpha.kubernetes.io/hostname";

  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("IngressClass of the Ingress. Default: the operator's --default-ingress-class.")
  private String className;

  @Size(max = 32)
  // The operator owns these two: the policy must not be redirected (RFC 8461 §3.3) and the host list is ours.
  @ValidationRule(
      value = "!self.exists(k, k == '" + HOSTNAME_ANNOTATION + "')",
      message = HOSTNAME_ANNOTATION + " is set by the operator from spec.domains")
  @JsonPropertyDescription(
      "Extra annotations for the Ingress, merged over the operator's --default-ingress-annotation values;"
          + " for example to select a load balancer. The external-dns hostname annotation is the operator's own."
          + " Never add a redirect: senders do not follow redirects for the policy (RFC 8461 §3.3).")
  private Map<String, String> annotations;

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
