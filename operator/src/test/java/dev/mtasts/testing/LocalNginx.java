package dev.mtasts.testing;

import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.desired.PolicyServerDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's nginx on loopback, running a policy server ConfigMap as the pod mounts it: the ConfigMap's files in one
 * folder, a writable runtime folder. Only the mount points and the listen address differ from the pod. Or
 * ({@link #servePod}) running a pod's container from the files the kubelet stand-in laid out for it.
 */
public final class LocalNginx implements AutoCloseable {

  private final TestDaemon daemon;
  private final InetSocketAddress address;

  private LocalNginx(TestDaemon daemon, InetSocketAddress address) {
    this.daemon = daemon;
    this.address = address;
  }

  public static Path binary() {
    for (Path candidate : List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"))) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No nginx on this machine: run test-infra/setup.sh (it installs nginx-light)");
  }

  /** Starts nginx with the ConfigMap's data; waits until it accepts connections. */
  public static LocalNginx serve(Map<String, String> configMapData, Path dir) {
    return serve(configMapData, dir, new InetSocketAddress("127.0.0.1", Ports.free()));
  }

  /** As above, listening where the pod would: the pod's address and the container port, say. */
  public static LocalNginx serve(Map<String, String> configMapData, Path dir, InetSocketAddress listen) {
    try {
      Path mount = Files.createDirectories(dir.resolve("mount"));
      Path runtime = Files.createDirectories(dir.resolve("run"));
      for (var file : configMapData.entrySet()) {
        Files.writeString(mount.resolve(file.getKey()), file.getValue());
      }
      // nginx workers run as an unprivileged user, as in the pod: they must be able to read the mount.
      for (Path p : List.of(dir, mount, runtime)) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
      String host = listen.getAddress().getHostAddress();
      int port = listen.getPort();
      String config = configMapData.get(PolicyConfigMap.NGINX_KEY)
          .replace(PolicyServerDeployment.CONFIG_DIR + "/", mount + "/")
          .replace(PolicyServerDeployment.RUNTIME_DIR, runtime.toString())
          .replace("listen " + PolicyServerDeployment.HTTP_PORT + " ", "listen " + host + ":" + port + " ");
      Path configFile = mount.resolve("nginx-local.conf");
      Files.writeString(configFile, config);
      return new LocalNginx(TestDaemon.start(List.of(binary().toString(), "-c", configFile.toString(), "-e",
          "stderr"), dir.resolve("nginx.log"), () -> TestDaemon.accepts(listen)), listen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * nginx as a pod's container runs it, from a pod root where the kubelet laid out the container's files (container
   * path /a/b at podRoot/a/b): the config file is read from there, and the copy nginx is started with has each mount
   * path moved under podRoot and each bare {@code listen <port>} bound to the pod's address, as in the pod's network
   * namespace. Waits until listen accepts connections; logs and the rewritten config go to dir.
   */
  public static LocalNginx servePod(Path podRoot, String configPath, Collection<String> mountPaths,
      InetSocketAddress listen, Path dir) {
    try {
      String config = podConfig(Files.readString(podRoot.resolve(configPath.substring(1))), podRoot, mountPaths,
          listen.getAddress().getHostAddress());
      Path configFile = dir.resolve("nginx-local.conf");
      Files.writeString(configFile, config);
      return new LocalNginx(TestDaemon.start(List.of(binary().toString(), "-c", configFile.toString(), "-e",
          "stderr"), dir.resolve("nginx.log"), () -> TestDaemon.accepts(listen)), listen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The config text as {@link #servePod} runs it. */
  public static String podConfig(String config, Path podRoot, Collection<String> mountPaths, String podIp) {
    String root = podRoot.toAbsolutePath().toString();
    // One pass, longest path first, whole path segments only: /etc/mta-sts and /etc/mta-sts/conf may both be mounts,
    // and a path already moved under the root must not be moved again.
    List<String> paths = mountPaths.stream().map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
        .distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    String moved = config;
    if (!paths.isEmpty()) {
      Pattern mount = Pattern.compile("(?<![\\w./-])(" + paths.stream().map(Pattern::quote)
          .collect(Collectors.joining("|")) + ")(?=[/;\\s\"']|$)", Pattern.MULTILINE);
      moved = mount.matcher(config).replaceAll(m -> Matcher.quoteReplacement(root + m.group(1)));
    }
    return LISTEN_PORT.matcher(moved).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + podIp + ":" + m.group(2)));
  }

  // A listen directive naming only a port: in the pod it binds every address of the pod, here only the pod's.
  private static final Pattern LISTEN_PORT = Pattern.compile("(\\blisten\\s+)(\\d+)(?=[\\s;])");

  public String url(String path) {
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path;
  }

  @Override
  public void close() {
    daemon.close();
  }
}
