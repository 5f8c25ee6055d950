package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * A staged rollout to enforce mode: the policy is served in testing mode until the TLS-RPT reports have been clean
 * for long enough, from enough senders, and the operator's own STARTTLS probe of every MX passes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSettings {

  public static final int DEFAULT_CLEAN_DAYS = 14;
  public static final int DEFAULT_MIN_ORGANIZATIONS = 2;
  public static final String DEFAULT_MAX_FAILURE_RATIO = "0";
  public static final int MAX_CLEAN_DAYS = 365;
  public static final int MAX_ORGANIZATIONS = 50;
  /** A decimal from 0 to 1 with at most 6 places: a string, as Kubernetes APIs avoid floats. */
  public static final String RATIO_PATTERN = "^(0(\\.[0-9]{1,6})?|1(\\.0{1,6})?)$";

  @Min(1)
  @Max(MAX_CLEAN_DAYS)
  @Default("14")
  @JsonPropertyDescription(
      "Days of clean reports needed before enforce mode is served: from the first report after the last report"
          + " that failed too often, to the latest report. 1 to 365. Default: 14.")
  private Integer cleanDays;

  @Min(1)
  @Max(MAX_ORGANIZATIONS)
  @Default("2")
  @JsonPropertyDescription(
      "Distinct sending organizations whose reports make up the clean days (one sender alone may not see every"
          + " MX). 1 to 50. Default: 2.")
  private Integer minOrganizations;

  @Pattern(RATIO_PATTERN)
  @Default("0")
  @JsonPropertyDescription(
      "The largest share of failed sessions a report may have and still count as clean, a decimal from \"0\" to"
          + " \"1\" (\"0.001\" is one in a thousand). Default: \"0\".")
  private String maxFailureRatio;

  public Integer getCleanDays() {
    return cleanDays;
  }

  public void setCleanDays(Integer cleanDays) {
    this.cleanDays = cleanDays;
  }

  public Integer getMinOrganizations() {
    return minOrganizations;
  }

  public void setMinOrganizations(Integer minOrganizations) {
    this.minOrganizations = minOrganizations;
  }

  public String getMaxFailureRatio() {
    return maxFailureRatio;
  }

  public void setMaxFailureRatio(String maxFailureRatio) {
    this.maxFailureRatio = maxFailureRatio;
  }

  public int cleanDaysOrDefault() {
    return cleanDays == null ? DEFAULT_CLEAN_DAYS : cleanDays;
  }

  public int minOrganizationsOrDefault() {
    return minOrganizations == null ? DEFAULT_MIN_ORGANIZATIONS : minOrganizations;
  }

  public String maxFailureRatioOrDefault() {
    return maxFailureRatio == null ? DEFAULT_MAX_FAILURE_RATIO : maxFailureRatio;
  }
}
