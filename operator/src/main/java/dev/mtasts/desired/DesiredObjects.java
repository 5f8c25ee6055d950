package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyServing;
import dev.mtasts.publication.PolicyExposure;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Every object one MtaStsPolicy owns, in the order they are applied; what {@code render} prints. */
public final class DesiredObjects {

  private DesiredObjects() {}

  public static List<HasMetadata> of(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    List<HasMetadata> objects = new ArrayList<>(List.of(PolicyConfigMap.desired(policy, settings, published)));
    // In mode Shared the namespace's shared server serves it: SharedPolicyServer, printed once per namespace.
    if (PolicyServing.wanted(policy, settings) == ServerMode.DEDICATED) {
      objects.add(PolicyServerDeployment.desired(policy, settings, published));
      objects.add(PolicyService.desired(policy));
    }
    // The policy hosts are exposed one way: an Ingress, or a Gateway's routes (and our listeners).
    if (PolicyExposure.of(policy, settings) instanceof PolicyExposure.ThroughIngress) {
      objects.add(PolicyIngress.desired(policy, settings, published));
    }
    PolicyListenerSet.desired(policy, settings, published).ifPresent(objects::add);
    objects.addAll(PolicyHttpRoutes.desired(policy, settings, published));
    objects.add(PolicyCertificate.desired(policy, settings, published));
    objects.add(PolicyDnsEndpoint.desired(policy, settings, published));
    return List.copyOf(objects);
  }
}
