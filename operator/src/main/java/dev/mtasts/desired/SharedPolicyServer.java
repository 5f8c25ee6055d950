package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.rfc.PolicyHash;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapProjectionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one policy server of a namespace that serves every policy there in mode Shared: a ConfigMap with its nginx
 * configuration, a Deployment of at least two replicas spread over nodes, a Service and a PodDisruptionBudget. Each
 * policy reaches the pods as its own ConfigMap, projected into one folder with a file per policy host, so that one
 * policy's change or deletion touches no other's file. A change of content needs no rollout: the kubelet refreshes
 * the projected files, and the operator publishes a new id only once every ready endpoint serves it. Policies
 * joining or leaving, or a new configuration, roll the pods. Every object is owned by every member, so Kubernetes
 * removes them with the last one.
 */
public final class SharedPolicyServer {

  public static final String NAME = ObjectNames.SHARED_SERVER;
  public static final String COMPONENT = "shared-policy-server";
  public static final String CONF_DIR = PolicyServerDeployment.CONFIG_DIR + "/conf";
  public static final String POLICIES_DIR = PolicyServerDeployment.CONFIG_DIR + "/policies";
  /** Pod-template annotation holding the hash of the nginx configuration, which nginx reads only at its start. */
  public static final String CONFIG_HASH_ANNOTATION = "mtasts.dev/server-config-hash";
  /** Fewer could not stay up through a node drain or a rollout. */
  public static final int MIN_REPLICAS = 2;

  /**
   * One policy the shared server serves.
   *
   * @param policy its name; its ConfigMap is {@link ObjectNames#configMap}
   * @param uid its uid, for the owner reference
   * @param hosts its policy hosts, sorted
   * @param receivesReports whether /tlsrpt passes its hosts' reports on
   */
  public record Member(String policy, String uid, List<String> hosts, boolean receivesReports) {
    public Member {
      Objects.requireNonNull(policy, "policy");
      hosts = hosts.stream().sorted().distinct().toList();
    }

    /** The policy as its decision publishes it: the same hosts and reports as its own ConfigMap says. */
    public static Member of(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published) {
      return new Member(policy.getMetadata().getName(), policy.getMetadata().getUid(),
          published.domains().stream().map(ObjectNames::policyHost).toList(),
          NginxConfig.ReportForwarding.of(published.content(), settings).isPresent());
    }
  }

  private SharedPolicyServer() {}

  /** Every object of the shared server, in the order they are applied. */
  public static List<HasMetadata> desired(String namespace, List<Member> members, OperatorSettings settings) {
    ConfigMap config = configMap(namespace, members, settings);
    return List.of(config, deployment(namespace, members, settings, config), service(namespace, members),
        podDisruptionBudget(namespace, members));
  }

  public static ConfigMap configMap(String namespace, List<Member> members, OperatorSettings settings) {
    List<String> reporting = sorted(members).stream().filter(Member::receivesReports)
        .flatMap(m -> m.hosts().stream()).sorted().toList();
    return new ConfigMapBuilder()
        .withMetadata(metadata(namespace, members))
        .withData(Map.of(PolicyConfigMap.NGINX_KEY,
            NginxConfig.sharedInPod(settings.reportReceiver(), settings.reportResolvers(), reporting).render()))
        .build();
  }

  public static Deployment deployment(String namespace, List<Member> members, OperatorSettings settings,
      ConfigMap config) {
    PodTemplateSpec template = new PodTemplateSpec();
    template.setMetadata(new ObjectMetaBuilder()
        .withLabels(labels())
        .withAnnotations(Map.of(CONFIG_HASH_ANNOTATION,
            PolicyHash.ofBody(config.getData().get(PolicyConfigMap.NGINX_KEY)).substring(0, 16)))
        .build());
    template.setSpec(podSpec(members, settings));

    DeploymentSpec spec = new DeploymentSpec();
    spec.setReplicas(Math.max(MIN_REPLICAS, settings.replicas()));
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(selector()).build());
    // A new pod must serve before an old one goes, so that every policy stays reachable during a rollout.
    spec.setStrategy(new DeploymentStrategy(new RollingUpdateDeployment(new IntOrString(1), new IntOrString(0)),
        "RollingUpdate"));
    spec.setTemplate(template);

    Deployment deployment = new Deployment();
    deployment.setMetadata(metadata(namespace, members));
    deployment.setSpec(spec);
    return deployment;
  }

  private static PodSpec podSpec(List<Member> members, OperatorSettings settings) {
    // Not optional: the kubelet starts the container only once every member's ConfigMap is there, and writes the
    // projected folder at once, so a pod that runs has every policy it should serve.
    List<VolumeProjection> sources = sorted(members).stream().filter(m -> !m.hosts().isEmpty())
        .map(m -> new VolumeProjection(null, new ConfigMapProjectionBuilder()
            .withName(ObjectNames.configMap(m.policy()))
            .withOptional(false)
            .withItems(m.hosts().stream().map(h -> new KeyToPath(PolicyConfigMap.POLICY_KEY, null, h)).toList())
            .build(), null, null, null, null))
        .toList();
    var nginx = PolicyServerDeployment.container(settings.nginxImage(), CONF_DIR + "/" + PolicyConfigMap.NGINX_KEY,
        NginxConfig.HEALTH_PATH, List.of(
            new VolumeMountBuilder().withName("conf").withMountPath(CONF_DIR).withReadOnly(true).build(),
            new VolumeMountBuilder().withName("policies").withMountPath(POLICIES_DIR).withReadOnly(true).build()));
    PodSpec pod = PolicyServerDeployment.hardenedPod(nginx,
        new VolumeBuilder().withName("conf")
            .withConfigMap(new ConfigMapVolumeSourceBuilder().withName(NAME).build()).build(),
        new VolumeBuilder().withName("policies")
            .withProjected(new ProjectedVolumeSourceBuilder().withSources(sources).build()).build());
    // Spread over nodes and zones, but never refused a node: a drain must be able to move a replica even where
    // the other nodes already hold one (a cordoned node still counts as a domain).
    pod.setTopologySpreadConstraints(List.of(
        spread("kubernetes.io/hostname"), spread("topology.kubernetes.io/zone")));
    return pod;
  }

  private static io.fabric8.kubernetes.api.model.TopologySpreadConstraint spread(String key) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(key)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(selector()).build())
        // Each revision spread by itself: counting the old pods of a rollout would pile the new ones together.
        .withMatchLabelKeys("pod-template-hash")
        .build();
  }

  public static Service service(String namespace, List<Member> members) {
    return new ServiceBuilder()
        .withMetadata(metadata(namespace, members))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(selector())
          .addNewPort()
            .withName(PolicyServerDeployment.PORT_NAME)
            .withPort(PolicyService.PORT)
            .withTargetPort(new IntOrString(PolicyServerDeployment.PORT_NAME))
            .withProtocol("TCP")
          .endPort()
        .endSpec()
        .build();
  }

  /** One pod at a time may be evicted: a drain moves the replicas one by one, each serving before the next goes. */
  public static PodDisruptionBudget podDisruptionBudget(String namespace, List<Member> members) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata(namespace, members))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withSelector(new LabelSelectorBuilder().withMatchLabels(selector()).build())
        .endSpec()
        .build();
  }

  /** The labels of the shared server's objects and pods. */
  public static Map<String, String> labels() {
    Map<String, String> labels = selector();
    labels.put(StandardLabels.PART_OF, StandardLabels.APP_NAME);
    labels.put(StandardLabels.MANAGED_BY, StandardLabels.OPERATOR);
    return labels;
  }

  /** Never changed: a Deployment's selector is immutable. */
  public static Map<String, String> selector() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(StandardLabels.NAME, StandardLabels.APP_NAME);
    labels.put(StandardLabels.INSTANCE, NAME);
    labels.put(StandardLabels.COMPONENT, COMPONENT);
    return labels;
  }

  private static ObjectMeta metadata(String namespace, List<Member> members) {
    return new ObjectMetaBuilder()
        .withName(NAME)
        .withNamespace(namespace)
        .withLabels(labels())
        .withOwnerReferences(sorted(members).stream().filter(m -> m.uid() != null && !m.uid().isEmpty())
            .map(SharedPolicyServer::ownerReference).toList())
        .build();
  }

  /** Not the controller (each object has many owners, and no one of them controls it). */
  private static OwnerReference ownerReference(Member member) {
    return new OwnerReferenceBuilder()
        .withApiVersion(HasMetadata.getApiVersion(MtaStsPolicy.class))
        .withKind(HasMetadata.getKind(MtaStsPolicy.class))
        .withName(member.policy())
        .withUid(member.uid())
        .build();
  }

  private static List<Member> sorted(List<Member> members) {
    return members.stream().sorted(Comparator.comparing(Member::policy)).toList();
  }
}
