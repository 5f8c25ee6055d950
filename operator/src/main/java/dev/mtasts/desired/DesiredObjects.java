package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/** Every object one MtaStsPolicy owns, in the order they are applied; what {@code render} prints. */
public final class DesiredObjects {

  private DesiredObjects() {}

  public static List<HasMetadata> of(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    return List.of(
        PolicyConfigMap.desired(policy, settings, published),
        PolicyServerDeployment.desired(policy, settings, published),
        PolicyService.desired(policy),
        PolicyIngress.desired(policy, settings, published),
        PolicyCertificate.desired(policy, settings, published),
        PolicyDnsEndpoint.desired(policy, settings, published));
  }
}
