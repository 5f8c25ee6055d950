package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.api.v1alpha1.ServerSettings;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.util.List;
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
  /**
   * Pod-template annotation naming where the reports go, present only when the policy receives them: nginx reads
   * its configuration once, so turning receiving on or off, or a new receiver, must roll the pods too.
   */
  public static final String REPORT_FORWARDING_ANNOTATION = "mtasts.dev/report-forwarding";
  public static final int HTTP_PORT = 8080;
  public static final String PORT_NAME = "http";
  public static final String CONFIG_DIR = "/etc/mta-sts";
  public static final String RUNTIME_DIR = "/tmp/nginx";
  /** The uid and gid of the unprivileged nginx images. */
  static final long NGINX_UID = 101;

  private PolicyServerDeployment() {}

  // Built from the leaves up: Fabric8's nested withNewX()...endX() copies every level again at each end, which made
  // this the costliest builder of a reconciliation (JFR, 2000 policies).
  public static Deployment desired(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
    Optional<ServerSettings> server = Optional.ofNullable(policy.getSpec().getServer());
    int replicas = server.map(ServerSettings::getReplicas).orElse(settings.replicas());
    String image = server.map(ServerSettings::getImage).orElse(settings.nginxImage());

    Map<String, String> annotations = new TreeMap<>(Map.of(POLICY_HASH_ANNOTATION, published.content().hash()));
    NginxConfig.ReportForwarding.of(published.content(), settings)
        .ifPresent(forwarding -> annotations.put(REPORT_FORWARDING_ANNOTATION, forwarding.describe()));
    PodTemplateSpec template = new PodTemplateSpec();
    template.setMetadata(new ObjectMetaBuilder()
        .withLabels(StandardLabels.of(policy, StandardLabels.POLICY_SERVER))
        .withAnnotations(annotations)
        .build());
    template.setSpec(podSpec(policy, image));

    DeploymentSpec spec = new DeploymentSpec();
    spec.setReplicas(replicas);
    spec.setSelector(new LabelSelectorBuilder()
        .withMatchLabels(StandardLabels.selector(policy, StandardLabels.POLICY_SERVER)).build());
    // A new pod must serve before an old one goes, so the policy stays reachable during a rollout.
    spec.setStrategy(new DeploymentStrategy(new RollingUpdateDeployment(new IntOrString(1), new IntOrString(0)),
        "RollingUpdate"));
    spec.setTemplate(template);

    Deployment deployment = new Deployment();
    deployment.setMetadata(StandardLabels.metadata(policy, ObjectNames.policyServer(policy),
        StandardLabels.POLICY_SERVER));
    deployment.setSpec(spec);
    return deployment;
  }

  private static PodSpec podSpec(MtaStsPolicy policy, String image) {
    // By subPath, which the kubelet never refreshes: a running pod keeps the policy it started with, so a new
    // policy reaches senders only through the rollout the operator waits for.
    Container nginx = container(image, CONFIG_DIR + "/" + PolicyConfigMap.NGINX_KEY, ObjectNames.POLICY_PATH,
        List.of(
            new VolumeMountBuilder().withName("policy").withMountPath(CONFIG_DIR + "/" + PolicyConfigMap.POLICY_KEY)
                .withSubPath(PolicyConfigMap.POLICY_KEY).withReadOnly(true).build(),
            new VolumeMountBuilder().withName("policy").withMountPath(CONFIG_DIR + "/" + PolicyConfigMap.NGINX_KEY)
                .withSubPath(PolicyConfigMap.NGINX_KEY).withReadOnly(true).build()));
    return hardenedPod(nginx, new VolumeBuilder().withName("policy")
        .withConfigMap(new ConfigMapVolumeSourceBuilder().withName(ObjectNames.configMap(policy)).build())
        .build());
  }

  /** Unprivileged, no service account token, no service links; the container's volumes and a runtime folder. */
  static PodSpec hardenedPod(Container nginx, io.fabric8.kubernetes.api.model.Volume... volumes) {
    PodSecurityContext security = new PodSecurityContext();
    security.setRunAsNonRoot(true);
    security.setRunAsUser(NGINX_UID);
    security.setRunAsGroup(NGINX_UID);
    security.setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));

    PodSpec pod = new PodSpec();
    pod.setAutomountServiceAccountToken(false);
    pod.setEnableServiceLinks(false);
    pod.setSecurityContext(security);
    pod.setContainers(List.of(nginx));
    List<io.fabric8.kubernetes.api.model.Volume> all = new java.util.ArrayList<>(List.of(volumes));
    all.add(new VolumeBuilder().withName("runtime")
        .withEmptyDir(new EmptyDirVolumeSource("Memory", new Quantity("16Mi")))
        .build());
    pod.setVolumes(all);
    return pod;
  }

  /**
   * nginx read-only and without capabilities, started with {@code config}; ready once {@code readinessPath}
   * answers; {@code mounts} and the runtime folder mounted.
   */
  static Container container(String image, String config, String readinessPath,
      List<io.fabric8.kubernetes.api.model.VolumeMount> mounts) {
    SecurityContext security = new SecurityContext();
    security.setReadOnlyRootFilesystem(true);
    security.setAllowPrivilegeEscalation(false);
    security.setCapabilities(new Capabilities(null, List.of("ALL")));

    Container nginx = new Container();
    nginx.setName("nginx");
    nginx.setImage(image);
    nginx.setCommand(List.of("nginx", "-c", config));
    nginx.setPorts(List.of(new ContainerPortBuilder().withName(PORT_NAME).withContainerPort(HTTP_PORT)
        .withProtocol("TCP").build()));
    nginx.setReadinessProbe(new ProbeBuilder().withHttpGet(httpGet(readinessPath)).withPeriodSeconds(5)
        .build());
    nginx.setLivenessProbe(new ProbeBuilder().withHttpGet(httpGet(NginxConfig.HEALTH_PATH)).withPeriodSeconds(10)
        .withFailureThreshold(3).build());
    nginx.setResources(new ResourceRequirementsBuilder()
        .withRequests(new TreeMap<>(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi"))))
        .withLimits(Map.of("memory", new Quantity("64Mi")))
        .build());
    nginx.setSecurityContext(security);
    List<io.fabric8.kubernetes.api.model.VolumeMount> all = new java.util.ArrayList<>(mounts);
    all.add(new VolumeMountBuilder().withName("runtime").withMountPath(RUNTIME_DIR).build());
    nginx.setVolumeMounts(all);
    return nginx;
  }

  private static io.fabric8.kubernetes.api.model.HTTPGetAction httpGet(String path) {
    return new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(PORT_NAME)).build();
  }
}
