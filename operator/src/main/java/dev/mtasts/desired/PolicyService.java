package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The ClusterIP Service in front of the policy server pods; the Ingress routes to its port "http". */
public final class PolicyService {

  public static final int PORT = 80;

  private PolicyService() {}

  public static Service desired(MtaStsPolicy policy) {
    return new ServiceBuilder()
        .withMetadata(StandardLabels.metadata(policy, ObjectNames.policyServer(policy), StandardLabels.POLICY_SERVER))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(StandardLabels.selector(policy, StandardLabels.POLICY_SERVER))
          .addNewPort()
            .withName(PolicyServerDeployment.PORT_NAME)
            .withPort(PORT)
            .withTargetPort(new IntOrString(PolicyServerDeployment.PORT_NAME))
            .withProtocol("TCP")
          .endPort()
        .endSpec()
        .build();
  }
}
