package dev.mtasts.testing.stack;

import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.testing.LocalNginx;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;

/**
 * Stand-in for the one thing no component here can do, the kubelet running the policy server's container: for each
 * pod kwok has placed on the fake node and given an address, it starts Debian's nginx at the pod's address with the
 * ConfigMap the pod mounts, as it was when the container started, then marks the pod's container started, which is
 * what kwok's readiness stage waits for (see kwok/pod-stages.yaml). A pod whose image the "node" does not have stays
 * unready, as a real one in ImagePullBackOff would. ConfigMap updates are not copied into running pods: the real
 * kubelet does that only after its sync period (a minute and more), so a new policy reaches senders through the
 * rollout, which is what the operator must wait for.
 */
public final class PolicyServerKubelet implements AutoCloseable {

  /** The annotation kwok's pod-ready stage waits for. */
  public static final String CONTAINER_STARTED = "kubelet.test.mtasts.dev/container-started";

  private final KubernetesClient client;
  private final Path dir;
  private final Set<String> pulledImages;
  private final Map<String, LocalNginx> running = new ConcurrentHashMap<>();
  // One worker: starting and stopping nginx never race for the same pod.
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "kubelet-stand-in"));
  private volatile boolean holding;
  private final SharedIndexInformer<Pod> pods;

  private PolicyServerKubelet(KubernetesClient client, String nodeName, Path dir, Set<String> pulledImages) {
    this.client = client;
    this.dir = dir;
    this.pulledImages = Set.copyOf(pulledImages);
    this.pods = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        worker.execute(() -> sync(pod));
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        worker.execute(() -> sync(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        worker.execute(() -> stop(pod));
      }
    });
  }

  /** Runs the pods bound to nodeName whose image is one of pulledImages. */
  public static PolicyServerKubelet start(KubernetesClient client, String nodeName, Path dir, Set<String> pulledImages) {
    return new PolicyServerKubelet(client, nodeName, dir, pulledImages);
  }

  private void sync(Pod pod) {
    try {
      start(pod);
    } catch (RuntimeException e) {
      // The API server restarting, say: a real kubelet retries its sync, so a pod never stays unstarted for it.
      worker.schedule(() -> Optional.ofNullable(pods.getStore().get(pod)).ifPresent(this::sync), 1, TimeUnit.SECONDS);
    }
  }

  private void start(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      stop(pod);
      return;
    }
    String uid = pod.getMetadata().getUid();
    String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (running.containsKey(uid) || podIp == null || !"Running".equals(pod.getStatus().getPhase())) {
      return;
    }
    var container = pod.getSpec().getContainers().get(0);
    if (!pulledImages.contains(container.getImage()) || holding) {
      return;
    }
    Optional<ConfigMap> mounted = pod.getSpec().getVolumes().stream().map(Volume::getConfigMap)
        .filter(java.util.Objects::nonNull).findFirst()
        .map(source -> client.configMaps().inNamespace(pod.getMetadata().getNamespace())
            .withName(source.getName()).get());
    if (mounted.isEmpty()) {
      return; // the real kubelet, too, waits for the ConfigMap before it starts the container
    }
    try {
      Path podDir = Files.createDirectories(dir.resolve(pod.getMetadata().getNamespace() + "_"
          + pod.getMetadata().getName()));
      running.put(uid, LocalNginx.serve(mounted.get().getData(), podDir,
          new InetSocketAddress(InetAddress.getByName(podIp), PolicyServerDeployment.HTTP_PORT)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations(CONTAINER_STARTED, "true").endMetadata()
            .build());
  }

  private void stop(Pod pod) {
    LocalNginx nginx = running.remove(pod.getMetadata().getUid());
    if (nginx != null) {
      nginx.close();
    }
  }

  /**
   * Starts no new container until {@link #release()}: a node that cannot start pods (its runtime hung), so a
   * rollout stalls with its new pods unready while the old ones keep serving.
   */
  public void hold() {
    holding = true;
  }

  /** Starts what {@link #hold()} held back. */
  public void release() {
    holding = false;
    pods.getStore().list().forEach(pod -> worker.execute(() -> sync(pod)));
  }

  /** How many policy server containers run now. */
  public int runningContainers() {
    return running.size();
  }

  @Override
  public void close() {
    pods.close();
    worker.shutdownNow();
    running.values().forEach(LocalNginx::close);
    running.clear();
  }
}
