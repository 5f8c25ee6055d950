package dev.mtasts.operator;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** What kube-proxy would route a Service port to: the ready endpoints of its EndpointSlices, as address:port. */
public final class ReadyEndpoints {

  private ReadyEndpoints() {}

  /** portName null: the slice's only port. */
  public static List<String> of(Collection<EndpointSlice> slices, String namespace, String service, String portName) {
    List<String> endpoints = new ArrayList<>();
    for (EndpointSlice slice : slices) {
      if (!namespace.equals(slice.getMetadata().getNamespace()) || slice.getMetadata().getLabels() == null
          || !service.equals(slice.getMetadata().getLabels().get("kubernetes.io/service-name"))
          || slice.getPorts() == null || slice.getEndpoints() == null) {
        continue;
      }
      var port = slice.getPorts().stream()
          .filter(p -> portName == null || Objects.equals(p.getName(), portName)).findFirst();
      if (port.isEmpty()) {
        continue;
      }
      slice.getEndpoints().stream()
          // An endpoint without conditions counts as ready (EndpointSlice API).
          .filter(e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
          .forEach(e -> e.getAddresses().forEach(a -> endpoints.add(a + ":" + port.get().getPort())));
    }
    return endpoints.stream().sorted().distinct().toList();
  }
}
