package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.api.v1alpha1.ServerSettings;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The nginx Deployment that serves the policy file: unprivileged, read-only root filesystem, no service account
 * token. The pod template carries the policy hash, so a new policy rolls the pods, and the rollout is what the
 * operator waits for before publishing the new id.
 */
public final class PolicyServerDeployment {

  /** Pod-template annotation holding the policy hash, so a new policy rolls the pods and the rollout is checkable. */
  public static final String POLICY_HASH_ANNOTATION = "mtasts.dev/policy-hash";
  public static final int HTTP_PORT = 8080;
  public static final String PORT_NAME = "http";
  public static final String CONFIG_DIR = "/etc/mta-sts";
  public static final String RUNTIME_DIR = "/tmp/nginx";
  /** The uid and gid of the unprivileged nginx images. */
  static final long NGINX_UID = 101;

  private PolicyServerDeployment() {}

  public static Deployment desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    Optional<ServerSettings> server = Optional.ofNullable(policy.getSpec().getServer());
    int replicas = server.map(ServerSettings::getReplicas).orElse(settings.replicas());
    String image = server.map(ServerSettings::getImage).orElse(settings.nginxImage());
    Map<String, String> podLabels = StandardLabels.of(policy, StandardLabels.POLICY_SERVER);

    return new DeploymentBuilder()
        .withMetadata(StandardLabels.metadata(policy, ObjectNames.policyServer(policy), StandardLabels.POLICY_SERVER))
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().withMatchLabels(StandardLabels.selector(policy, StandardLabels.POLICY_SERVER)).endSelector()
          // A new pod must serve before an old one goes, so the policy stays reachable during a rollout.
          .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
              .withMaxUnavailable(new IntOrString(0))
              .withMaxSurge(new IntOrString(1))
            .endRollingUpdate()
          .endStrategy()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(podLabels)
              .withAnnotations(Map.of(POLICY_HASH_ANNOTATION, published.content().hash()))
            .endMetadata()
            .withNewSpec()
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(NGINX_UID)
                .withRunAsGroup(NGINX_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
              .endSecurityContext()
              .withContainers(new ContainerBuilder()
                  .withName("nginx")
                  .withImage(image)
                  .withCommand("nginx", "-c", CONFIG_DIR + "/" + PolicyConfigMap.NGINX_KEY)
                  .addNewPort().withName(PORT_NAME).withContainerPort(HTTP_PORT).withProtocol("TCP").endPort()
                  // Ready means the policy itself is served, not just that nginx is up.
                  .withReadinessProbe(new ProbeBuilder()
                      .withHttpGet(httpGet(ObjectNames.POLICY_PATH))
                      .withPeriodSeconds(5)
                      .build())
                  .withLivenessProbe(new ProbeBuilder()
                      .withHttpGet(httpGet(NginxConfig.HEALTH_PATH))
                      .withPeriodSeconds(10)
                      .withFailureThreshold(3)
                      .build())
                  .withResources(new ResourceRequirementsBuilder()
                      .withRequests(new TreeMap<>(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi"))))
                      .withLimits(Map.of("memory", new Quantity("64Mi")))
                      .build())
                  .withNewSecurityContext()
                    .withReadOnlyRootFilesystem(true)
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                  .endSecurityContext()
                  .withVolumeMounts(
                      new VolumeMountBuilder().withName("policy").withMountPath(CONFIG_DIR).withReadOnly(true).build(),
                      new VolumeMountBuilder().withName("runtime").withMountPath(RUNTIME_DIR).build())
                  .build())
              .withVolumes(
                  new VolumeBuilder()
                      .withName("policy")
                      .withNewConfigMap().withName(ObjectNames.configMap(policy)).endConfigMap()
                      .build(),
                  new VolumeBuilder()
                      .withName("runtime")
                      .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("16Mi")).endEmptyDir()
                      .build())
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.HTTPGetAction httpGet(String path) {
    return new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(PORT_NAME)).build();
  }
}
