package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What the policy URL answered when the operator last fetched it, as a sender would, before publishing an id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PolicyUrlAnswer {

  @JsonPropertyDescription("Whether the URL served the current policy over valid TLS, as senders require.")
  private Boolean current;

  @JsonPropertyDescription("What the fetch found: the policy served, or why a sender would not accept it, or that"
      + " the operator could not connect (then the in-cluster check decides).")
  private String message;

  @JsonPropertyDescription("Since when fetches have found this (RFC 3339); the URL is fetched before the first"
      + " publication and before each new id.")
  private String since;

  public PolicyUrlAnswer() {}

  public PolicyUrlAnswer(boolean current, String message, String since) {
    this.current = current;
    this.message = message;
    this.since = since;
  }

  public Boolean getCurrent() {
    return current;
  }

  public void setCurrent(Boolean current) {
    this.current = current;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicyUrlAnswer other && Objects.equals(current, other.current)
        && Objects.equals(message, other.message) && Objects.equals(since, other.since);
  }

  @Override
  public int hashCode() {
    return Objects.hash(current, message, since);
  }
}
