package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** What is published for one domain of the policy. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DomainStatus {

  @Required
  @JsonPropertyDescription("The mail domain.")
  private String name;

  @JsonPropertyDescription("Where senders fetch the policy: https://mta-sts.<domain>/.well-known/mta-sts.txt.")
  private String policyUrl;

  @JsonPropertyDescription("The value of the _mta-sts.<domain> TXT record, such as \"v=STSv1; id=2026112307021300\".")
  private String stsRecord;

  @JsonPropertyDescription("The value of the _smtp._tls.<domain> TXT record, when TLS reporting is set.")
  private String tlsRptRecord;

  @JsonPropertyDescription("Since when the records above have been handed to DNS as they are (RFC 3339):"
      + " DnsPublished turns DnsNotAnswering when DNS still differs --dns-publish-timeout after this.")
  private String recordsSince;

  @JsonPropertyDescription("What DNS answered for the records, the last time the operator looked.")
  private DnsAnswer dns;

  @JsonPropertyDescription("What the policy URL answered, the last time the operator fetched it as a sender.")
  private PolicyUrlAnswer policyUrlAnswer;

  public DomainStatus() {}

  public DomainStatus(String name, String policyUrl, String stsRecord, String tlsRptRecord) {
    this.name = name;
    this.policyUrl = policyUrl;
    this.stsRecord = stsRecord;
    this.tlsRptRecord = tlsRptRecord;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getPolicyUrl() {
    return policyUrl;
  }

  public void setPolicyUrl(String policyUrl) {
    this.policyUrl = policyUrl;
  }

  public String getStsRecord() {
    return stsRecord;
  }

  public void setStsRecord(String stsRecord) {
    this.stsRecord = stsRecord;
  }

  public String getTlsRptRecord() {
    return tlsRptRecord;
  }

  public void setTlsRptRecord(String tlsRptRecord) {
    this.tlsRptRecord = tlsRptRecord;
  }

  public String getRecordsSince() {
    return recordsSince;
  }

  public void setRecordsSince(String recordsSince) {
    this.recordsSince = recordsSince;
  }

  public DnsAnswer getDns() {
    return dns;
  }

  public void setDns(DnsAnswer dns) {
    this.dns = dns;
  }

  public PolicyUrlAnswer getPolicyUrlAnswer() {
    return policyUrlAnswer;
  }

  public void setPolicyUrlAnswer(PolicyUrlAnswer policyUrlAnswer) {
    this.policyUrlAnswer = policyUrlAnswer;
  }

  // Compared by value, so the operator writes status only when it changed (and a restart writes nothing).
  @Override
  public boolean equals(Object o) {
    return o instanceof DomainStatus other
        && java.util.Objects.equals(name, other.name)
        && java.util.Objects.equals(policyUrl, other.policyUrl)
        && java.util.Objects.equals(stsRecord, other.stsRecord)
        && java.util.Objects.equals(tlsRptRecord, other.tlsRptRecord)
        && java.util.Objects.equals(recordsSince, other.recordsSince)
        && java.util.Objects.equals(dns, other.dns)
        && java.util.Objects.equals(policyUrlAnswer, other.policyUrlAnswer);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, policyUrl, stsRecord, tlsRptRecord, recordsSince, dns, policyUrlAnswer);
  }
}
