package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** What DNS answered for one domain's records, the last time the operator looked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DnsAnswer {

  @JsonPropertyDescription("Whether every server asked answers exactly the records published for this policy.")
  private Boolean current;

  @JsonPropertyDescription("The TXT values at _mta-sts.<domain> (strings joined), as the first server that differs"
      + " answered them, or the first server when all agree.")
  private List<String> stsRecords;

  @JsonPropertyDescription("The TXT values at _smtp._tls.<domain>, from the same server.")
  private List<String> tlsRptRecords;

  @JsonPropertyDescription("The servers asked: the zone's authoritative servers, or the resolver given to the"
      + " operator (--dns-records-at).")
  private String servers;

  @JsonPropertyDescription("What differs, or why a server did not answer; empty when current.")
  private String message;

  @JsonPropertyDescription("Since when DNS has given this answer (RFC 3339); DNS is looked up again every"
      + " --dns-check-interval, and every 2 seconds while a change is awaited.")
  private String since;

  public DnsAnswer() {}

  public DnsAnswer(boolean current, List<String> stsRecords, List<String> tlsRptRecords, String servers,
      String message, String since) {
    this.current = current;
    this.stsRecords = stsRecords;
    this.tlsRptRecords = tlsRptRecords;
    this.servers = servers;
    this.message = message;
    this.since = since;
  }

  public Boolean getCurrent() {
    return current;
  }

  public void setCurrent(Boolean current) {
    this.current = current;
  }

  public List<String> getStsRecords() {
    return stsRecords;
  }

  public void setStsRecords(List<String> stsRecords) {
    this.stsRecords = stsRecords;
  }

  public List<String> getTlsRptRecords() {
    return tlsRptRecords;
  }

  public void setTlsRptRecords(List<String> tlsRptRecords) {
    this.tlsRptRecords = tlsRptRecords;
  }

  public String getServers() {
    return servers;
  }

  public void setServers(String servers) {
    this.servers = servers;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  /** The same answer, whenever it was first seen. */
  public boolean sameAnswer(DnsAnswer other) {
    return other != null && Objects.equals(current, other.current) && Objects.equals(stsRecords, other.stsRecords)
        && Objects.equals(tlsRptRecords, other.tlsRptRecords) && Objects.equals(servers, other.servers)
        && Objects.equals(message, other.message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DnsAnswer other && sameAnswer(other) && Objects.equals(since, other.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(current, stsRecords, tlsRptRecords, servers, message, since);
  }
}
