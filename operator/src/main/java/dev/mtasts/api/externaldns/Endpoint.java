package dev.mtasts.api.externaldns;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** One DNS record set (endpoint/endpoint.go): a name, a type and its targets, kept verbatim for TXT. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"dnsName", "recordType", "recordTTL", "targets", "labels"})
public class Endpoint {

  public static final String TYPE_TXT = "TXT";

  private String dnsName;
  private String recordType;
  private Long recordTTL;
  private List<String> targets;
  private Map<String, String> labels;

  public Endpoint() {}

  public Endpoint(String dnsName, String recordType, Long recordTTL, List<String> targets) {
    this.dnsName = dnsName;
    this.recordType = recordType;
    this.recordTTL = recordTTL;
    this.targets = targets;
  }

  public String getDnsName() {
    return dnsName;
  }

  public void setDnsName(String dnsName) {
    this.dnsName = dnsName;
  }

  public String getRecordType() {
    return recordType;
  }

  public void setRecordType(String recordType) {
    this.recordType = recordType;
  }

  public Long getRecordTTL() {
    return recordTTL;
  }

  public void setRecordTTL(Long recordTTL) {
    this.recordTTL = recordTTL;
  }

  public List<String> getTargets() {
    return targets;
  }

  public void setTargets(List<String> targets) {
    this.targets = targets;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }
}
