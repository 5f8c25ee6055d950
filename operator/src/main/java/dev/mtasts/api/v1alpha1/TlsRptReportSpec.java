package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** What one received report says, bounded so that one object stays a few kilobytes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"policy", "organization", "reportId", "contactInfo", "startDatetime", "endDatetime",
    "receivedAt", "channel", "domains", "successfulSessions", "failedSessions", "results", "failureDetails",
    "truncated"})
public class TlsRptReportSpec {

  /** The result type of the failures a sender gave no details for (RFC 8460 §4.4 makes details optional). */
  public static final String UNSPECIFIED = "unspecified";
  /** The result type of the entry that sums the results beyond {@link #MAX_RESULTS}. */
  public static final String OTHER = "other";

  /** Counts per policy domain, receiving MX and result type: beyond this, the rest are summed into one entry. */
  public static final int MAX_RESULTS = 20;
  /** The failure details kept as the sender wrote them. */
  public static final int MAX_FAILURE_DETAILS = 5;
  /** Free text from the sender (additional-information, failure-reason-code) is cut to this. */
  public static final int MAX_TEXT = 128;

  @Required
  @JsonPropertyDescription("The MtaStsPolicy (in this namespace) whose domain the report is about.")
  private String policy;

  @Required
  @JsonPropertyDescription("The sender's organization-name (RFC 8460 §4.4).")
  private String organization;

  @Required
  @JsonPropertyDescription("The sender's report-id (RFC 8460 §4.4).")
  private String reportId;

  @JsonPropertyDescription("The sender's contact-info, if it gave one.")
  private String contactInfo;

  @Required
  @JsonPropertyDescription("The start of the period the report covers (RFC 3339, UTC).")
  private String startDatetime;

  @Required
  @JsonPropertyDescription("The end of the period the report covers (RFC 3339, UTC).")
  private String endDatetime;

  @Required
  @JsonPropertyDescription("When the operator stored the report (RFC 3339, UTC).")
  private String receivedAt;

  @Required
  @JsonPropertyDescription("How the report arrived: https (POSTed to the policy host) or mail (read from the mailbox).")
  private String channel;

  @Required
  @JsonPropertyDescription("The policy domains of the report that belong to this policy, lower-case.")
  private List<String> domains;

  @Required
  @JsonPropertyDescription("Sessions that negotiated TLS and passed the policy (total-successful-session-count).")
  private Long successfulSessions;

  @Required
  @JsonPropertyDescription("Sessions that failed (total-failure-session-count).")
  private Long failedSessions;

  @JsonPropertyDescription(
      "Failed sessions per policy domain, policy type, receiving MX and result type, at most 20 entries (the"
          + " rest summed into one entry of result type \"other\").")
  private List<ReportResult> results;

  @JsonPropertyDescription("The first 5 failure details as the sender wrote them, every text cut to 128 characters.")
  private List<ReportFailureDetail> failureDetails;

  @JsonPropertyDescription("True when results or failureDetails were cut to their bounds.")
  private Boolean truncated;

  /** The start of the period; empty when it cannot be read (an object edited by hand). */
  public Optional<Instant> periodStart() {
    return instant(startDatetime);
  }

  /** The end of the period; empty when it cannot be read (an object edited by hand). */
  public Optional<Instant> periodEnd() {
    return instant(endDatetime);
  }

  private static Optional<Instant> instant(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public String getOrganization() {
    return organization;
  }

  public void setOrganization(String organization) {
    this.organization = organization;
  }

  public String getReportId() {
    return reportId;
  }

  public void setReportId(String reportId) {
    this.reportId = reportId;
  }

  public String getContactInfo() {
    return contactInfo;
  }

  public void setContactInfo(String contactInfo) {
    this.contactInfo = contactInfo;
  }

  public String getStartDatetime() {
    return startDatetime;
  }

  public void setStartDatetime(String startDatetime) {
    this.startDatetime = startDatetime;
  }

  public String getEndDatetime() {
    return endDatetime;
  }

  public void setEndDatetime(String endDatetime) {
    this.endDatetime = endDatetime;
  }

  public String getReceivedAt() {
    return receivedAt;
  }

  public void setReceivedAt(String receivedAt) {
    this.receivedAt = receivedAt;
  }

  public String getChannel() {
    return channel;
  }

  public void setChannel(String channel) {
    this.channel = channel;
  }

  public List<String> getDomains() {
    return domains;
  }

  public void setDomains(List<String> domains) {
    this.domains = domains;
  }

  public Long getSuccessfulSessions() {
    return successfulSessions;
  }

  public void setSuccessfulSessions(Long successfulSessions) {
    this.successfulSessions = successfulSessions;
  }

  public Long getFailedSessions() {
    return failedSessions;
  }

  public void setFailedSessions(Long failedSessions) {
    this.failedSessions = failedSessions;
  }

  public List<ReportResult> getResults() {
    return results;
  }

  public void setResults(List<ReportResult> results) {
    this.results = results;
  }

  public List<ReportFailureDetail> getFailureDetails() {
    return failureDetails;
  }

  public void setFailureDetails(List<ReportFailureDetail> failureDetails) {
    this.failureDetails = failureDetails;
  }

  public Boolean getTruncated() {
    return truncated;
  }

  public void setTruncated(Boolean truncated) {
    this.truncated = truncated;
  }
}
