package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Failed sessions of one kind: a policy domain, the receiving MX and the result type. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"domain", "policyType", "mx", "resultType", "sessions"})
public class ReportResult {

  @JsonPropertyDescription("The policy domain.")
  private String domain;
  @JsonPropertyDescription("sts, tlsa or no-policy-found: the policy the sender applied.")
  private String policyType;
  @JsonPropertyDescription("The receiving MX host name; empty when the sender did not name it.")
  private String mx;
  @JsonPropertyDescription("The result type (RFC 8460 §4.3), e.g. certificate-expired; \"other\" for the entries"
      + " summed beyond the bound.")
  private String resultType;
  @JsonPropertyDescription("Failed sessions.")
  private Long sessions;

  public ReportResult() {
  }

  public ReportResult(String domain, String policyType, String mx, String resultType, long sessions) {
    this.domain = domain;
    this.policyType = policyType;
    this.mx = mx;
    this.resultType = resultType;
    this.sessions = sessions;
  }

  public String getDomain() {
    return domain;
  }

  public void setDomain(String domain) {
    this.domain = domain;
  }

  public String getPolicyType() {
    return policyType;
  }

  public void setPolicyType(String policyType) {
    this.policyType = policyType;
  }

  public String getMx() {
    return mx;
  }

  public void setMx(String mx) {
    this.mx = mx;
  }

  public String getResultType() {
    return resultType;
  }

  public void setResultType(String resultType) {
    this.resultType = resultType;
  }

  public Long getSessions() {
    return sessions;
  }

  public void setSessions(Long sessions) {
    this.sessions = sessions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportResult other && Objects.equals(domain, other.domain)
        && Objects.equals(policyType, other.policyType) && Objects.equals(mx, other.mx)
        && Objects.equals(resultType, other.resultType) && Objects.equals(sessions, other.sessions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, policyType, mx, resultType, sessions);
  }
}
