package dev.mtasts.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving tests a real API server with our CRD installed: {@code @ExtendWith(RealKubernetes.class)},
 * then take a {@link KubernetesCluster} or {@link KubernetesClient} as a parameter. One server serves every test
 * class of the run, and stops when the run ends.
 */
public final class RealKubernetes implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealKubernetes.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesCluster.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KubernetesCluster cluster = cluster(context);
    return parameter.getParameter().getType() == KubernetesClient.class ? cluster.client() : cluster;
  }

  /** The run's cluster, started (with our CRDs, the third-party stand-ins and Gateway API's) on first use. */
  public static KubernetesCluster cluster(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(KubernetesCluster.class, type -> {
      KubernetesCluster cluster = KubernetesCluster.start();
      cluster.installOurCrds();
      cluster.installCrds(ThirdPartyCrds.generate());
      // As in a cluster of today: the Gateway API CRDs are there, whether a policy uses them or not.
      cluster.installGatewayApiCrds();
      return cluster;
    }, KubernetesCluster.class);
  }
}
