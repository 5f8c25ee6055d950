package dev.mtasts.testing;

import static org.awaitility.Awaitility.await;

import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.desired.PolicyServerDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx on loopback, running a policy server ConfigMap as the pod mounts it: the ConfigMap's files in one
 * folder, a writable runtime folder. Only the mount points and the listen address differ from the pod.
 */
public final class LocalNginx implements AutoCloseable {

  private final Process process;
  private final int port;

  private LocalNginx(Process process, int port) {
    this.process = process;
    this.port = port;
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
      int port = freePort();
      String config = configMapData.get(PolicyConfigMap.NGINX_KEY)
          .replace(PolicyServerDeployment.CONFIG_DIR + "/", mount + "/")
          .replace(PolicyServerDeployment.RUNTIME_DIR, runtime.toString())
          .replace("listen " + PolicyServerDeployment.HTTP_PORT + " ", "listen 127.0.0.1:" + port + " ");
      Path configFile = mount.resolve("nginx-local.conf");
      Files.writeString(configFile, config);
      Process process = new ProcessBuilder(binary().toString(), "-c", configFile.toString(), "-e", "stderr")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("nginx.log").toFile())
          .start();
      LocalNginx nginx = new LocalNginx(process, port);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("nginx.log")));
        }
        return accepts(port);
      });
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
