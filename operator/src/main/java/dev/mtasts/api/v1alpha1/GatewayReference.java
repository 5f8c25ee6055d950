package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Gateway (gateway.networking.k8s.io/v1), by name, namespace and optionally one of its listeners. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayReference {

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** A namespace name (DNS-1123 label). */
  public static final String NAMESPACE_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @Required
  @Size(min = 1, max = 253)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("The Gateway's name.")
  private String name;

  @Size(min = 1, max = 63)
  @Pattern(NAMESPACE_PATTERN)
  @JsonPropertyDescription("The Gateway's namespace. Default: the policy's own.")
  private String namespace;

  @Size(min = 1, max = 253)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription(
      "With listeners: Gateway, the name of the Gateway's listener the routes attach to. Default: every"
          + " listener of the Gateway that matches the policy hosts.")
  private String sectionName;

  public GatewayReference() {}

  public GatewayReference(String name, String namespace, String sectionName) {
    this.name = name;
    this.namespace = namespace;
    this.sectionName = sectionName;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getSectionName() {
    return sectionName;
  }

  public void setSectionName(String sectionName) {
    this.sectionName = sectionName;
  }
}
