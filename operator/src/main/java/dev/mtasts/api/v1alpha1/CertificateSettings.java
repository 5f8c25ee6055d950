package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the certificate for the policy hosts is requested from cert-manager. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CertificateSettings {

  @JsonPropertyDescription(
      "The cert-manager issuer that signs the certificate for every mta-sts.<domain>. It must be publicly trusted:"
          + " senders refuse a policy served with any other certificate (RFC 8461 §3.3)."
          + " Default: the operator's --default-issuer.")
  private IssuerReference issuerRef;

  public IssuerReference getIssuerRef() {
    return issuerRef;
  }

  public void setIssuerRef(IssuerReference issuerRef) {
    this.issuerRef = issuerRef;
  }
}
