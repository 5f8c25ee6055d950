package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.desired.SharedPolicyServer;
import dev.mtasts.operator.status.RolloutProgress;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyServing;
import dev.mtasts.rfc.PolicyHash;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.api.reconciler.ResourceCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared policy server of each namespace, as the policies' reconciliations keep it: its members are read from
 * the caches (each policy's own ConfigMap says which hosts its last valid decision serves), the reconciling policy
 * from its own decision. Applies are one at a time per namespace, each reading the caches inside the lock, so a
 * later apply never leaves out a member an earlier one had. Also tells whether the server's rollout holds a
 * member.
 */
public final class SharedPolicyServers {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Logger log = LoggerFactory.getLogger(SharedPolicyServers.class);

  private final OperatorSettings settings;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /**
   * What was last applied per namespace: the same desired objects are not sent again, unless the Deployment's
   * spec was changed since (a generation past the one this apply left, as a hand {@code kubectl scale} makes).
   */
  private final Map<String, Applied> applied = new ConcurrentHashMap<>();

  private record Applied(String hash, long generation) {
  }
  /**
   * The uids of shared Deployments this operator deleted: the informer may still hold one, rolled out, for a moment
   * after the delete, and its dying pods must never pass for a server that serves.
   */
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();

  public SharedPolicyServers(OperatorSettings settings) {
    this.settings = settings;
  }

  /** The namespace's shared Deployment, as the policy server Deployments' informer holds it. */
  @SuppressWarnings("unchecked")
  public static Optional<Deployment> deployment(String namespace, Context<MtaStsPolicy> context) {
    return ((ResourceCache<Deployment>) context.eventSourceRetriever().getEventSourceFor(Deployment.class))
        .get(new ResourceID(SharedPolicyServer.NAME, namespace));
  }

  /** The policy as a member of its namespace's shared server, as its decision of this reconciliation says. */
  private static SharedPolicyServer.Member member(String name, String uid, ConfigMap file) {
    Map<String, String> annotations = Optional.ofNullable(file.getMetadata().getAnnotations()).orElse(Map.of());
    String hosts = annotations.getOrDefault(PolicyConfigMap.HOSTS_ANNOTATION, "");
    return new SharedPolicyServer.Member(name, uid,
        hosts.isEmpty() ? List.of() : Arrays.asList(hosts.split(",")),
        "true".equals(annotations.get(PolicyConfigMap.RECEIVES_REPORTS_ANNOTATION)));
  }

  /**
   * Applies the namespace's shared server with every member the caches hold and {@code self} as given (empty: the
   * policy is no member, and is left out); deletes it when no member is left.
   */
  public void apply(MtaStsPolicy policy, Optional<SharedPolicyServer.Member> self, Context<MtaStsPolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    synchronized (locks.computeIfAbsent(namespace, n -> new Object())) {
      List<SharedPolicyServer.Member> members = new ArrayList<>(others(policy, context));
      self.ifPresent(members::add);
      KubernetesClient client = context.getClient();
      if (members.isEmpty()) {
        if (deployment(namespace, context).isPresent() || applied.containsKey(namespace)) {
          log.info("namespace={} step=shared-server no policy left in mode Shared: deleting it", namespace);
          deployment(namespace, context).map(d -> d.getMetadata().getUid()).ifPresent(deleted::add);
          for (Class<? extends HasMetadata> kind : List.of(Deployment.class, Service.class,
              PodDisruptionBudget.class, ConfigMap.class)) {
            client.resources(kind).inNamespace(namespace).withName(SharedPolicyServer.NAME).delete();
          }
          applied.remove(namespace);
        }
        return;
      }
      List<HasMetadata> desired = SharedPolicyServer.desired(namespace, members, settings);
      String hash = PolicyHash.ofBody(SERIALIZATION.asJson(desired));
      Applied last = applied.get(namespace);
      Optional<Deployment> observed = deployment(namespace, context);
      if (last != null && hash.equals(last.hash()) && observed.isPresent()
          && generation(observed.get()) <= last.generation()) {
        return;
      }
      long generation = 0;
      for (HasMetadata object : desired) {
        HasMetadata written = client.resource(object).fieldManager(OwnedObjects.FIELD_MANAGER).forceConflicts()
            .serverSideApply();
        if (written instanceof Deployment) {
          generation = generation(written);
        }
      }
      applied.put(namespace, new Applied(hash, generation));
      log.info("namespace={} step=shared-server applied for {} policies{}", namespace, members.size(),
          last != null && hash.equals(last.hash()) && observed.isPresent() ? " (its Deployment was changed by hand)"
              : "");
    }
  }

  private static long generation(HasMetadata object) {
    return Optional.ofNullable(object.getMetadata().getGeneration()).orElse(0L);
  }

  /** The other members: policies of the namespace that ask for the shared server or are still routed to it. */
  private List<SharedPolicyServer.Member> others(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    String namespace = policy.getMetadata().getNamespace();
    @SuppressWarnings("unchecked")
    ResourceCache<ConfigMap> files = (ResourceCache<ConfigMap>) context.eventSourceRetriever()
        .getEventSourceFor(ConfigMap.class);
    Optional<ResourceCache<Ingress>> ingresses = ingresses(context);
    List<SharedPolicyServer.Member> members = new ArrayList<>();
    context.getPrimaryCache().list(namespace).forEach(other -> {
      if (other.getMetadata().getName().equals(policy.getMetadata().getName())
          || other.getMetadata().getDeletionTimestamp() != null) {
        return;
      }
      Optional<ServerMode> routed = ingresses.flatMap(c -> c.get(new ResourceID(ObjectNames.ingress(other),
          namespace))).flatMap(i -> routedTo(other, i));
      if (!PolicyServing.servedByShared(PolicyServing.wanted(other, settings), routed)) {
        return;
      }
      files.get(new ResourceID(ObjectNames.configMap(other), namespace))
          .map(file -> member(other.getMetadata().getName(), other.getMetadata().getUid(), file))
          .filter(m -> !m.hosts().isEmpty())
          .ifPresent(members::add);
    });
    return members;
  }

  @SuppressWarnings("unchecked")
  private static Optional<ResourceCache<Ingress>> ingresses(Context<MtaStsPolicy> context) {
    try {
      return Optional.of((ResourceCache<Ingress>) context.eventSourceRetriever().getEventSourceFor(Ingress.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Which server an Ingress of the policy routes to: its backend Service. */
  public static Optional<ServerMode> routedTo(MtaStsPolicy policy, Ingress ingress) {
    if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
      return Optional.empty();
    }
    return ingress.getSpec().getRules().stream()
        .filter(r -> r.getHttp() != null && r.getHttp().getPaths() != null)
        .flatMap(r -> r.getHttp().getPaths().stream())
        .map(p -> p.getBackend() == null || p.getBackend().getService() == null ? null
            : p.getBackend().getService().getName())
        .filter(Objects::nonNull)
        .findFirst()
        .flatMap(service -> routedTo(policy, service));
  }

  public static Optional<ServerMode> routedTo(MtaStsPolicy policy, String service) {
    if (service.equals(SharedPolicyServer.NAME)) {
      return Optional.of(ServerMode.SHARED);
    }
    return service.equals(ObjectNames.policyServer(policy)) ? Optional.of(ServerMode.DEDICATED) : Optional.empty();
  }

  /** Whether the namespace's shared server, not being deleted, has the policy in its template (any hosts). */
  public boolean holds(String namespace, String policy, Context<MtaStsPolicy> context) {
    return deployment(namespace, context)
        .filter(d -> d.getMetadata().getDeletionTimestamp() == null && !deleted.contains(d.getMetadata().getUid()))
        .map(d -> sources(d).anyMatch(c -> ObjectNames.configMap(policy).equals(c.getName()))).orElse(false);
  }

  private static boolean holds(Deployment deployment, SharedPolicyServer.Member member) {
    return sources(deployment).filter(c -> ObjectNames.configMap(member.policy()).equals(c.getName()))
        .anyMatch(c -> c.getItems().stream().map(i -> i.getPath()).sorted().toList().equals(member.hosts()));
  }

  private static java.util.stream.Stream<io.fabric8.kubernetes.api.model.ConfigMapProjection> sources(
      Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getProjected() != null && v.getProjected().getSources() != null)
        .flatMap(v -> v.getProjected().getSources().stream())
        .map(s -> s.getConfigMap())
        .filter(java.util.Objects::nonNull);
  }

  /**
   * Whether the namespace's shared server has rolled out a template that serves {@code member}'s hosts from its
   * ConfigMap, as kubectl would say it rolled out.
   */
  public RolloutProgress.State rollout(String namespace, SharedPolicyServer.Member member,
      Context<MtaStsPolicy> context) {
    Optional<Deployment> deployment = deployment(namespace, context);
    if (deployment.isEmpty()) {
      return RolloutProgress.of(null, null);
    }
    if (deployment.get().getMetadata().getDeletionTimestamp() != null
        || deleted.contains(deployment.get().getMetadata().getUid())) {
      return new RolloutProgress.State(false, false, "waiting for deployment \"" + SharedPolicyServer.NAME
          + "\", deleted when its last policy left, to be created again");
    }
    if (!holds(deployment.get(), member)) {
      return new RolloutProgress.State(false, false, "waiting for deployment \"" + SharedPolicyServer.NAME
          + "\" to take the policy's hosts");
    }
    return RolloutProgress.ofTemplate(deployment.get());
  }
}
