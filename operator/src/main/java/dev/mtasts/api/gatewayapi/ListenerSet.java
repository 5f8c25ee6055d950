package dev.mtasts.api.gatewayapi;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Gateway API's {@code ListenerSet} (standard since v1.5, {@code gateway.networking.k8s.io/v1}): listeners that a
 * namespace attaches to a Gateway which allows it ({@code spec.allowedListeners}). Fabric8's Gateway API model has
 * it only from 7.7.0, past the version JOSDK 5.2.3 was released with; this is our small model of the fields we
 * write and read, reusing Fabric8's v1 {@code Listener} and {@code ListenerStatus} (the same fields as the
 * ListenerSet's entries). Tests check it against the upstream CRD by strict server-side apply.
 */
@Group("gateway.networking.k8s.io")
@Version("v1")
@Kind("ListenerSet")
@Plural("listenersets")
public class ListenerSet extends CustomResource<ListenerSetSpec, ListenerSetStatus> implements Namespaced {

  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String KIND = "ListenerSet";

  @Override
  protected ListenerSetStatus initStatus() {
    return null; // written by the Gateway's controller
  }
}
