package dev.mtasts.api.gatewayapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import java.util.List;

/** {@code spec} of a ListenerSet: the Gateway it attaches to and its listeners (at most 64). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ListenerSetSpec {

  /** The CRD's limit on spec.listeners. */
  public static final int MAX_LISTENERS = 64;

  private ParentGatewayReference parentRef;
  private List<Listener> listeners;

  public ListenerSetSpec() {}

  public ListenerSetSpec(ParentGatewayReference parentRef, List<Listener> listeners) {
    this.parentRef = parentRef;
    this.listeners = listeners;
  }

  public ParentGatewayReference getParentRef() {
    return parentRef;
  }

  public void setParentRef(ParentGatewayReference parentRef) {
    this.parentRef = parentRef;
  }

  public List<Listener> getListeners() {
    return listeners;
  }

  public void setListeners(List<Listener> listeners) {
    this.listeners = listeners;
  }
}
