package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Where the staged rollout to enforce mode stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"gateMet", "message", "promotedAt"})
public class RolloutStatus {

  @JsonPropertyDescription("Whether enforce mode is served: the gate was met (once met, it stays met).")
  private Boolean gateMet;

  @JsonPropertyDescription("What the gate still waits for, e.g. \"3 of 14 clean days; 1 of 2 organizations\".")
  private String message;

  @JsonPropertyDescription("When the operator started serving enforce mode.")
  private String promotedAt;

  public RolloutStatus() {
  }

  public RolloutStatus(boolean gateMet, String message, String promotedAt) {
    this.gateMet = gateMet;
    this.message = message;
    this.promotedAt = promotedAt;
  }

  public Boolean getGateMet() {
    return gateMet;
  }

  public void setGateMet(Boolean gateMet) {
    this.gateMet = gateMet;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getPromotedAt() {
    return promotedAt;
  }

  public void setPromotedAt(String promotedAt) {
    this.promotedAt = promotedAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolloutStatus other && Objects.equals(gateMet, other.gateMet)
        && Objects.equals(message, other.message) && Objects.equals(promotedAt, other.promotedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(gateMet, message, promotedAt);
  }
}
