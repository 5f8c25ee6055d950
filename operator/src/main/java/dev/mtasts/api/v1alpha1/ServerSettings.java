package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The nginx that serves the policy file. Changing it never changes the policy id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.mode) || self.mode != 'Shared' || (!has(self.replicas) && !has(self.image))",
    message = ServerSettings.SHARED_TAKES_NO_SETTINGS,
    fieldPath = ".mode",
    reason = "FieldValueInvalid")
public class ServerSettings {

  public static final String SHARED_TAKES_NO_SETTINGS = "replicas and image apply to mode Dedicated only: the"
      + " shared policy server takes the operator's";

  public static final int MIN_REPLICAS = 1;
  public static final int MAX_REPLICAS = 20;

  @JsonPropertyDescription("Shared: served by the namespace's one shared policy server, with every other policy of"
      + " the namespace in this mode; Dedicated: by an nginx Deployment of the policy's own. replicas and image apply"
      + " to Dedicated only. Default: the operator's --default-server-mode.")
  private ServerMode mode;

  @Min(MIN_REPLICAS)
  @Max(MAX_REPLICAS)
  @JsonPropertyDescription("Number of nginx replicas: 1 to 20. Default: the operator's --default-replicas.")
  private Integer replicas;

  @Size(min = 1, max = 512)
  @JsonPropertyDescription(
      "The nginx image; it must run as a non-root user and listen on port 8080, as the unprivileged nginx images"
          + " do. Default: the operator's --default-nginx-image.")
  private String image;

  public ServerMode getMode() {
    return mode;
  }

  public void setMode(ServerMode mode) {
    this.mode = mode;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }
}
