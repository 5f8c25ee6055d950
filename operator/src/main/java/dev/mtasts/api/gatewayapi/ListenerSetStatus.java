package dev.mtasts.api.gatewayapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import java.util.List;

/** {@code status} of a ListenerSet, as the Gateway's controller writes it: its conditions and each listener's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ListenerSetStatus {

  private List<Condition> conditions;
  private List<ListenerStatus> listeners;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public List<ListenerStatus> getListeners() {
    return listeners;
  }

  public void setListeners(List<ListenerStatus> listeners) {
    this.listeners = listeners;
  }
}
