package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Exposure of the policy hosts through a Gateway API Gateway, instead of an Ingress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// With a ListenerSet, the routes attach to our own listeners: a section of the Gateway would mean nothing.
@ValidationRule(
    value = "!has(self.parentRef.sectionName) || (has(self.listeners) && self.listeners == 'Gateway')",
    message = "sectionName names a listener of the Gateway, which only listeners: Gateway attaches to; with"
        + " listeners: ListenerSet the routes attach to the operator's own listeners",
    fieldPath = ".parentRef.sectionName",
    reason = "FieldValueForbidden")
public class GatewaySettings {

  @Required
  @JsonPropertyDescription("The Gateway the policy hosts are exposed through (gateway.networking.k8s.io/v1).")
  private GatewayReference parentRef;

  @Default("ListenerSet")
  @JsonPropertyDescription(
      "Whose listeners serve the policy hosts. \"ListenerSet\" (default): the operator attaches a ListenerSet"
          + " to the Gateway with one HTTPS listener (port 443) per mta-sts.<domain>, whose certificate is the"
          + " Secret of the policy's cert-manager Certificate; the Gateway must allow ListenerSets from this"
          + " namespace (spec.allowedListeners), and a policy may then list at most 64 domains. \"Gateway\": the"
          + " Gateway's own HTTPS listener already covers the policy hosts (a wildcard certificate, say): the"
          + " operator makes only the HTTPRoutes, attached to parentRef.sectionName if given.")
  private GatewayListeners listeners;

  public GatewayReference getParentRef() {
    return parentRef;
  }

  public void setParentRef(GatewayReference parentRef) {
    this.parentRef = parentRef;
  }

  public GatewayListeners getListeners() {
    return listeners;
  }

  public void setListeners(GatewayListeners listeners) {
    this.listeners = listeners;
  }

  /** Whether the operator attaches its own ListenerSet (the default). */
  public boolean ownListeners() {
    return listeners != GatewayListeners.GATEWAY;
  }
}
