package dev.mtasts.testing.stack;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The files a kubelet shows a pod's first container, computed from the pod spec and the ConfigMaps it names, with no
 * I/O: configMap, projected (its configMap sources) and emptyDir volumes, each volumeMount at its mountPath, a subPath
 * mount holding only that file or folder of its volume. Paths are container paths. {@link PolicyServerKubelet} lays
 * them out on disk and refreshes them; kept pure so the kubelet rules can be tested without a cluster.
 *
 * @param problems why the container cannot start (a missing non-optional ConfigMap or key), empty if it can
 * @param mounts the container's volumeMounts in spec order
 */
public record PodVolumes(List<String> problems, List<Mount> mounts) {

  public enum Source { CONFIG_MAP, PROJECTED, EMPTY_DIR }

  /**
   * One volumeMount as the container sees it.
   *
   * @param complete every non-optional ConfigMap and key of the volume exists: the kubelet updates a volume only
   *     when it can build all of it, and otherwise keeps what it showed before
   * @param files container path -> content; for a subPath naming a key, the one entry is the mount path itself
   */
  public record Mount(String mountPath, String volume, Source source, boolean readOnly, boolean subPath,
      boolean complete, SortedMap<String, String> files) {

    /** The kubelet rewrites these in a running container: ConfigMap-backed, and never through a subPath. */
    public boolean updatedInPlace() {
      return source != Source.EMPTY_DIR && !subPath;
    }

    /** A subPath naming one file: the mount point is that file, not a folder. */
    public boolean isFile() {
      return files.size() == 1 && files.containsKey(mountPath);
    }
  }

  /** What to change on disk so a running container sees refreshed volumes: container paths. */
  public record FileChanges(SortedMap<String, String> writes, SortedSet<String> deletes) {

    public boolean isEmpty() {
      return writes.isEmpty() && deletes.isEmpty();
    }
  }

  public boolean startable() {
    return problems.isEmpty();
  }

  /** Every file the container sees, container path -> content. */
  public SortedMap<String, String> files() {
    SortedMap<String, String> all = new TreeMap<>();
    mounts.forEach(m -> all.putAll(m.files()));
    return all;
  }

  public List<String> mountPaths() {
    return mounts.stream().map(Mount::mountPath).toList();
  }

  /** The ConfigMaps the pod's volumes name, to read before {@link #of}. */
  public static Set<String> configMapNames(Pod pod) {
    Set<String> names = new TreeSet<>();
    for (Volume volume : volumes(pod)) {
      if (volume.getConfigMap() != null) {
        names.add(volume.getConfigMap().getName());
      }
      if (volume.getProjected() != null && volume.getProjected().getSources() != null) {
        volume.getProjected().getSources().stream().map(VolumeProjection::getConfigMap)
            .filter(java.util.Objects::nonNull).forEach(source -> names.add(source.getName()));
      }
    }
    return names;
  }

  /** The container's view of the pod's volumes, with the ConfigMaps (by name, in the pod's namespace) as they are. */
  public static PodVolumes of(Pod pod, Function<String, Optional<ConfigMap>> configMaps) {
    List<String> problems = new ArrayList<>();
    Map<String, VolumeContent> contents = new java.util.HashMap<>();
    // The kubelet sets up every volume of the pod before the container starts, mounted or not.
    for (Volume volume : volumes(pod)) {
      VolumeContent content = content(volume, configMaps);
      contents.put(volume.getName(), content);
      content.problems().forEach(p -> problems.add("volume \"" + volume.getName() + "\": " + p));
    }
    Container container = pod.getSpec().getContainers().get(0);
    List<Mount> mounts = new ArrayList<>();
    for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
      VolumeContent content = contents.get(mount.getName());
      if (content == null) {
        problems.add("volumeMount " + mount.getMountPath() + ": no volume \"" + mount.getName() + "\"");
        continue;
      }
      String subPath = Optional.ofNullable(mount.getSubPath()).map(PodVolumes::relative).orElse("");
      mounts.add(new Mount(mount.getMountPath(), mount.getName(), content.source(),
          Boolean.TRUE.equals(mount.getReadOnly()), !subPath.isEmpty(), content.problems().isEmpty(),
          mounted(content.files(), subPath, mount.getMountPath())));
    }
    return new PodVolumes(List.copyOf(problems), List.copyOf(mounts));
  }

  /**
   * The running container's volumes after a kubelet sync: in-place mounts whose volume is complete take the new
   * files; subPath mounts, emptyDirs and volumes missing a non-optional source keep what the container has.
   */
  public static PodVolumes refreshed(PodVolumes running, PodVolumes now) {
    List<Mount> mounts = new ArrayList<>();
    for (int i = 0; i < running.mounts().size(); i++) {
      Mount before = running.mounts().get(i);
      Mount after = i < now.mounts().size() ? now.mounts().get(i) : before;
      mounts.add(before.updatedInPlace() && after.complete() && after.mountPath().equals(before.mountPath())
          ? after : before);
    }
    return new PodVolumes(running.problems(), List.copyOf(mounts));
  }

  /** The writes and deletions that turn the files of before into those of after. */
  public static FileChanges changes(PodVolumes before, PodVolumes after) {
    SortedMap<String, String> old = before.files();
    SortedMap<String, String> writes = new TreeMap<>();
    after.files().forEach((path, content) -> {
      if (!content.equals(old.get(path))) {
        writes.put(path, content);
      }
    });
    SortedSet<String> deletes = new TreeSet<>(old.keySet());
    deletes.removeAll(after.files().keySet());
    return new FileChanges(Collections.unmodifiableSortedMap(writes), Collections.unmodifiableSortedSet(deletes));
  }

  private record VolumeContent(Source source, SortedMap<String, String> files, List<String> problems) {}

  private static VolumeContent content(Volume volume, Function<String, Optional<ConfigMap>> configMaps) {
    SortedMap<String, String> files = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    if (volume.getConfigMap() != null) {
      var source = volume.getConfigMap();
      project(configMaps.apply(source.getName()), source.getName(), source.getItems(),
          Boolean.TRUE.equals(source.getOptional()), files, problems);
      return new VolumeContent(Source.CONFIG_MAP, files, problems);
    }
    if (volume.getProjected() != null) {
      for (VolumeProjection projection : Optional.ofNullable(volume.getProjected().getSources()).orElse(List.of())) {
        var source = projection.getConfigMap();
        if (source == null) {
          problems.add("the kubelet stand-in projects only configMap sources");
          continue;
        }
        project(configMaps.apply(source.getName()), source.getName(), source.getItems(),
            Boolean.TRUE.equals(source.getOptional()), files, problems);
      }
      return new VolumeContent(Source.PROJECTED, files, problems);
    }
    if (volume.getEmptyDir() != null) {
      return new VolumeContent(Source.EMPTY_DIR, files, problems);
    }
    problems.add("the kubelet stand-in mounts only configMap, projected and emptyDir volumes");
    return new VolumeContent(Source.EMPTY_DIR, files, problems);
  }

  // The kubelet's rules for one ConfigMap (pkg/volume/configmap): all keys, or only items, each at its path; a
  // missing ConfigMap or item key stops the pod unless the source is optional.
  private static void project(Optional<ConfigMap> configMap, String name, List<KeyToPath> items, boolean optional,
      SortedMap<String, String> files, List<String> problems) {
    if (configMap.isEmpty()) {
      if (!optional) {
        problems.add("configmap \"" + name + "\" not found");
      }
      return;
    }
    Map<String, String> data = Optional.ofNullable(configMap.get().getData()).orElse(Map.of());
    if (items == null || items.isEmpty()) {
      data.forEach((key, value) -> files.put(key, value));
      return;
    }
    for (KeyToPath item : items) {
      String value = data.get(item.getKey());
      if (value != null) {
        files.put(relative(item.getPath()), value);
      } else if (!optional) {
        problems.add("configmap \"" + name + "\" references non-existent config key: " + item.getKey());
      }
    }
  }

  private static SortedMap<String, String> mounted(SortedMap<String, String> volumeFiles, String subPath,
      String mountPath) {
    SortedMap<String, String> files = new TreeMap<>();
    String base = mountPath.endsWith("/") ? mountPath : mountPath + "/";
    if (subPath.isEmpty()) {
      volumeFiles.forEach((path, content) -> files.put(base + path, content));
    } else if (volumeFiles.containsKey(subPath)) {
      files.put(mountPath, volumeFiles.get(subPath));
    } else {
      // A subPath naming a folder of the volume (or nothing yet: the kubelet creates it empty).
      volumeFiles.forEach((path, content) -> {
        if (path.startsWith(subPath + "/")) {
          files.put(base + path.substring(subPath.length() + 1), content);
        }
      });
    }
    return files;
  }

  private static String relative(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static List<Volume> volumes(Pod pod) {
    return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of());
  }
}
