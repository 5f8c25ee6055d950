package dev.mtasts.api.gatewayapi;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A ListenerSet's {@code spec.parentRef}: the Gateway (group, kind, name, namespace; no section). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParentGatewayReference {

  private String group;
  private String kind;
  private String name;
  private String namespace;

  public ParentGatewayReference() {}

  public ParentGatewayReference(String name, String namespace) {
    this.group = ListenerSet.GROUP;
    this.kind = "Gateway";
    this.name = name;
    this.namespace = namespace;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
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
}
