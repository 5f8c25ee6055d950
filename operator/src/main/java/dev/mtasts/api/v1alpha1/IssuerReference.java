package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A reference to a cert-manager Issuer or ClusterIssuer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IssuerReference {

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("Name of the issuer, such as \"letsencrypt-prod\".")
  private String name;

  @Default("ClusterIssuer")
  @Pattern("^(Issuer|ClusterIssuer)$")
  @JsonPropertyDescription(
      "\"ClusterIssuer\" or \"Issuer\" (an Issuer must live in the policy's namespace). Default: ClusterIssuer.")
  private String kind;

  @Default("cert-manager.io")
  @Size(max = 253)
  @JsonPropertyDescription("API group of the issuer. Default: cert-manager.io.")
  private String group;

  public IssuerReference() {}

  public IssuerReference(String name, String kind, String group) {
    this.name = name;
    this.kind = kind;
    this.group = group;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }
}
