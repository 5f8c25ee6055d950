package dev.mtasts.testing.stack;

import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.testing.LocalNginx;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Stand-in for the one thing no component here can do, the kubelet running the policy server's container: for each
 * pod kwok has placed on its node and given an address, it lays out the pod's volumes as the kubelet mounts them
 * ({@link PodVolumes}: configMap, projected and emptyDir volumes, subPath, under a folder per pod standing for the
 * container's filesystem), starts Debian's nginx with the container's {@code nginx -c <config>} at the pod's address,
 * then marks the pod's container started, which is what kwok's readiness stage waits for (see kwok/pod-stages.yaml).
 * A pod whose image the "node" does not have stays unready, as a real one in ImagePullBackOff would, and so does one
 * whose non-optional ConfigMap does not exist. Every sync period, as the kubelet does, the files of running pods'
 * ConfigMap volumes are rewritten from the ConfigMaps as they are now, each file replaced atomically; subPath mounts
 * never change, as with the kubelet.
 */
public final class PolicyServerKubelet implements AutoCloseable {

  /** The annotation kwok's pod-ready stage waits for. */
  public static final String CONTAINER_STARTED = "kubelet.test.mtasts.dev/container-started";

  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

  private record RunningPod(Pod pod, Path root, PodVolumes volumes, LocalNginx nginx) {}

  private final KubernetesClient client;
  private final String nodeName;
  private final Path dir;
  private final Set<String> pulledImages;
  private final Map<String, RunningPod> running = new ConcurrentHashMap<>();
  // One worker: starting, refreshing and stopping never race for the same pod, and no API call blocks the informer.
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "kubelet-stand-in"));
  private volatile boolean holding;
  private volatile boolean closing;
  private final SharedIndexInformer<Pod> pods;

  private PolicyServerKubelet(KubernetesClient client, String nodeName, Path dir, Set<String> pulledImages,
      Duration syncPeriod) {
    this.client = client;
    this.nodeName = nodeName;
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
    worker.scheduleWithFixedDelay(this::syncPeriod, syncPeriod.toMillis(), syncPeriod.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Runs the pods bound to nodeName whose image is one of pulledImages, refreshing their ConfigMap volumes every
   * syncPeriod.
   */
  public static PolicyServerKubelet start(KubernetesClient client, String nodeName, Path dir, Set<String> pulledImages,
      Duration syncPeriod) {
    return new PolicyServerKubelet(client, nodeName, dir, pulledImages, syncPeriod);
  }

  public String nodeName() {
    return nodeName;
  }

  private void sync(Pod pod) {
    try {
      start(pod);
    } catch (RuntimeException e) {
      // The API server restarting, say: a real kubelet retries its sync, so a pod never stays unstarted for it.
      if (!closing) {
        worker.schedule(() -> Optional.ofNullable(pods.getStore().get(pod)).ifPresent(this::sync), 1,
            TimeUnit.SECONDS);
      }
    }
  }

  private void start(Pod pod) {
    if (closing) {
      return;
    }
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
    PodVolumes volumes = PodVolumes.of(pod, configMaps(pod.getMetadata().getNamespace(), new HashMap<>()));
    Optional<String> config = nginxConfig(container);
    if (!volumes.startable() || config.isEmpty()) {
      return; // the real kubelet, too, waits for the ConfigMap before it starts the container
    }
    try {
      Path podDir = dir.resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName());
      Path root = podDir.resolve("root");
      deleteTree(root); // an earlier pod of the same name (a StatefulSet's)
      Files.createDirectories(podDir);
      // nginx's workers run unprivileged, as in the pod: they must reach the files.
      Files.setPosixFilePermissions(podDir, DIR);
      layOut(root, volumes);
      int port = container.getPorts() == null || container.getPorts().isEmpty() ? PolicyServerDeployment.HTTP_PORT
          : container.getPorts().get(0).getContainerPort();
      LocalNginx nginx = LocalNginx.servePod(root, config.get(), volumes.mountPaths(),
          new InetSocketAddress(InetAddress.getByName(podIp), port), podDir);
      running.put(uid, new RunningPod(pod, root, volumes, nginx));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .edit(p -> new PodBuilder(p).editMetadata().addToAnnotations(CONTAINER_STARTED, "true").endMetadata()
            .build());
  }

  // The container's command, nginx -c <config>: the only program this node runs.
  private static Optional<String> nginxConfig(Container container) {
    List<String> command = new ArrayList<>(Optional.ofNullable(container.getCommand()).orElse(List.of()));
    command.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
    int c = command.indexOf("-c");
    if (command.isEmpty() || !command.get(0).endsWith("nginx") || c < 0 || c + 1 >= command.size()
        || !command.get(c + 1).startsWith("/")) {
      return Optional.empty();
    }
    return Optional.of(command.get(c + 1));
  }

  // ConfigMaps read once per pod start or sync period, as the kubelet reads each volume's source once per sync.
  private Function<String, Optional<ConfigMap>> configMaps(String namespace, Map<String, Optional<ConfigMap>> read) {
    return name -> read.computeIfAbsent(namespace + "/" + name,
        key -> Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get()));
  }

  /** Writes the container's files under root: container path /a/b at root/a/b. */
  static void layOut(Path root, PodVolumes volumes) throws IOException {
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, DIR);
    for (PodVolumes.Mount mount : volumes.mounts()) {
      Path at = at(root, mount.mountPath());
      if (mount.isFile()) {
        createDirectories(root, at.getParent());
      } else {
        createDirectories(root, at);
        // The container's user may write to a writable emptyDir only; ConfigMap volumes are read-only to it.
        if (mount.source() == PodVolumes.Source.EMPTY_DIR && !mount.readOnly()) {
          Files.setPosixFilePermissions(at, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
      }
      for (var file : mount.files().entrySet()) {
        Path target = at(root, file.getKey());
        createDirectories(root, target.getParent());
        Files.writeString(target, file.getValue());
        Files.setPosixFilePermissions(target, FILE);
      }
    }
  }

  /**
   * Brings the files under root from running to now as the kubelet does on a sync: each changed file replaced
   * atomically (nginx reads files per request, so a request sees the old file or the new, never half of one), files
   * gone from the ConfigMap removed. Returns what the container sees afterwards.
   */
  static PodVolumes refresh(Path root, PodVolumes running, PodVolumes now) throws IOException {
    PodVolumes refreshed = PodVolumes.refreshed(running, now);
    PodVolumes.FileChanges changes = PodVolumes.changes(running, refreshed);
    for (var write : changes.writes().entrySet()) {
      Path target = at(root, write.getKey());
      createDirectories(root, target.getParent());
      Path temp = Files.createTempFile(target.getParent(), "..", ".tmp");
      Files.writeString(temp, write.getValue());
      Files.setPosixFilePermissions(temp, FILE);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    for (String gone : changes.deletes()) {
      Files.deleteIfExists(at(root, gone));
    }
    return refreshed;
  }

  private void syncPeriod() {
    try {
      Map<String, Optional<ConfigMap>> read = new HashMap<>();
      for (var entry : running.entrySet()) {
        RunningPod pod = entry.getValue();
        if (pod.volumes().mounts().stream().noneMatch(PodVolumes.Mount::updatedInPlace)) {
          continue;
        }
        try {
          PodVolumes now = PodVolumes.of(pod.pod(), configMaps(pod.pod().getMetadata().getNamespace(), read));
          PodVolumes refreshed = refresh(pod.root(), pod.volumes(), now);
          running.computeIfPresent(entry.getKey(),
              (uid, current) -> new RunningPod(current.pod(), current.root(), refreshed, current.nginx()));
        } catch (IOException | RuntimeException e) {
          // The API server restarting, say: the next period tries again, as the kubelet's next sync would.
        }
      }
      // A pod whose ConfigMap was missing starts once it is there, as the kubelet retries mounting it. Not through
      // sync: its retry on failure would start one more retry chain every period.
      for (Pod pod : pods.getStore().list()) {
        try {
          start(pod);
        } catch (RuntimeException e) {
          // Tried again next period.
        }
      }
    } catch (RuntimeException e) {
      // Never let one period's failure cancel the next.
    }
  }

  private static Path at(Path root, String containerPath) {
    return root.resolve(containerPath.substring(1));
  }

  private static void createDirectories(Path root, Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return;
    }
    if (!folder.equals(root) && folder.getParent() != null) {
      createDirectories(root, folder.getParent());
    }
    Files.createDirectory(folder);
    Files.setPosixFilePermissions(folder, DIR);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private void stop(Pod pod) {
    RunningPod stopped = running.remove(pod.getMetadata().getUid());
    if (stopped != null) {
      stopped.nginx().close();
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
    closing = true;
    pods.close();
    // Let a container start under way finish, so its nginx is known and stopped below: interrupted, it would be
    // left to the JVM's exit, whose SIGKILL orphans nginx's worker on the pod's address.
    worker.shutdown();
    try {
      if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
    running.values().forEach(pod -> pod.nginx().close());
    running.clear();
  }
}
