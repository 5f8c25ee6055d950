package dev.mtasts.testing;

import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.desired.PolicyServerDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx on loopback, running a policy server ConfigMap as the pod mounts it: the ConfigMap's files in one
 * folder, a writable runtime folder. Only the mount points and the listen address differ from the pod.
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

  public String url(String path) {
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path;
  }

  @Override
  public void close() {
    daemon.close();
  }
}
