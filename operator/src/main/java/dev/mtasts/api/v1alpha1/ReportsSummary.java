package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/** The TLS-RPT reports received for a policy over a recent window, summed up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"window", "reports", "organizations", "successfulSessions", "failedSessions", "failureRatio",
    "failures", "lastReport"})
public class ReportsSummary {

  public static final int MAX_ORGANIZATIONS = 20;
  public static final int MAX_FAILURES = 10;

  @JsonPropertyDescription("The window summed up, as an ISO 8601 duration back from now (P14D: the last 14 days).")
  private String window;
  @JsonPropertyDescription("Reports whose period ends in the window.")
  private Integer reports;
  @JsonPropertyDescription("The reporting organizations, at most 20.")
  private List<String> organizations;
  private Long successfulSessions;
  private Long failedSessions;
  @JsonPropertyDescription("failedSessions / (successfulSessions + failedSessions), 6 decimal places.")
  private String failureRatio;
  @JsonPropertyDescription("Failed sessions by result type and receiving MX, most first, at most 10.")
  private List<ReportResult> failures;
  @JsonPropertyDescription("The end of the period of the latest report.")
  private String lastReport;

  public String getWindow() {
    return window;
  }

  public void setWindow(String window) {
    this.window = window;
  }

  public Integer getReports() {
    return reports;
  }

  public void setReports(Integer reports) {
    this.reports = reports;
  }

  public List<String> getOrganizations() {
    return organizations;
  }

  public void setOrganizations(List<String> organizations) {
    this.organizations = organizations;
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

  public String getFailureRatio() {
    return failureRatio;
  }

  public void setFailureRatio(String failureRatio) {
    this.failureRatio = failureRatio;
  }

  public List<ReportResult> getFailures() {
    return failures;
  }

  public void setFailures(List<ReportResult> failures) {
    this.failures = failures;
  }

  public String getLastReport() {
    return lastReport;
  }

  public void setLastReport(String lastReport) {
    this.lastReport = lastReport;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportsSummary other && Objects.equals(window, other.window)
        && Objects.equals(reports, other.reports) && Objects.equals(organizations, other.organizations)
        && Objects.equals(successfulSessions, other.successfulSessions)
        && Objects.equals(failedSessions, other.failedSessions) && Objects.equals(failureRatio, other.failureRatio)
        && Objects.equals(failures, other.failures) && Objects.equals(lastReport, other.lastReport);
  }

  @Override
  public int hashCode() {
    return Objects.hash(window, reports, organizations, successfulSessions, failedSessions, failureRatio, failures,
        lastReport);
  }
}
