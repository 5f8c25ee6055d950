package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One failure detail as the sender wrote it (RFC 8460 §4.4), free text cut to its bound. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"resultType", "sendingMtaIp", "receivingMxHostname", "receivingIp", "failedSessions",
    "failureReasonCode", "additionalInformation"})
public class ReportFailureDetail {

  private String resultType;
  private String sendingMtaIp;
  private String receivingMxHostname;
  private String receivingIp;
  private Long failedSessions;
  private String failureReasonCode;
  private String additionalInformation;

  public String getResultType() {
    return resultType;
  }

  public void setResultType(String resultType) {
    this.resultType = resultType;
  }

  public String getSendingMtaIp() {
    return sendingMtaIp;
  }

  public void setSendingMtaIp(String sendingMtaIp) {
    this.sendingMtaIp = sendingMtaIp;
  }

  public String getReceivingMxHostname() {
    return receivingMxHostname;
  }

  public void setReceivingMxHostname(String receivingMxHostname) {
    this.receivingMxHostname = receivingMxHostname;
  }

  public String getReceivingIp() {
    return receivingIp;
  }

  public void setReceivingIp(String receivingIp) {
    this.receivingIp = receivingIp;
  }

  public Long getFailedSessions() {
    return failedSessions;
  }

  public void setFailedSessions(Long failedSessions) {
    this.failedSessions = failedSessions;
  }

  public String getFailureReasonCode() {
    return failureReasonCode;
  }

  public void setFailureReasonCode(String failureReasonCode) {
    this.failureReasonCode = failureReasonCode;
  }

  public String getAdditionalInformation() {
    return additionalInformation;
  }

  public void setAdditionalInformation(String additionalInformation) {
    this.additionalInformation = additionalInformation;
  }
}
