package dev.mtasts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Debian's nginx serving policy hosts over HTTPS, each {@code mta-sts.<domain>} on its own 127.0.0.x:443 with a
 * certificate from the test CA, and per host whatever the case needs inside {@code location}.
 */
public final class LocalPolicyHosts implements AutoCloseable {

  /** One policy host: its address, name, certificate files, and the body of its policy location. */
  public record Host(int loopback, String serverName, Path certificate, Path key, String location) {}

  private final TestDaemon daemon;

  private LocalPolicyHosts(TestDaemon daemon) {
    this.daemon = daemon;
  }

  public static LocalPolicyHosts serve(List<Host> hosts, Path dir) {
    try {
      Path runtime = Files.createDirectories(dir.resolve("nginx-run"));
      Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
      StringBuilder config = new StringBuilder()
          .append("daemon off;\nworker_processes 1;\npid ").append(runtime).append("/nginx.pid;\n")
          .append("error_log stderr warn;\nevents { worker_connections 128; }\nhttp {\n  access_log off;\n")
          .append("  client_body_temp_path ").append(runtime).append("/body;\n")
          .append("  proxy_temp_path ").append(runtime).append("/proxy;\n")
          .append("  fastcgi_temp_path ").append(runtime).append("/fastcgi;\n")
          .append("  uwsgi_temp_path ").append(runtime).append("/uwsgi;\n")
          .append("  scgi_temp_path ").append(runtime).append("/scgi;\n")
          .append("  types { }\n  default_type text/plain;\n");
      for (Host host : hosts) {
        config.append("  server {\n    listen ").append(LocalDns.loopback(host.loopback()).getHostAddress())
            .append(":443 ssl;\n    server_name ").append(host.serverName()).append(";\n")
            .append("    ssl_certificate ").append(host.certificate()).append(";\n")
            .append("    ssl_certificate_key ").append(host.key()).append(";\n")
            .append("    location = /.well-known/mta-sts.txt {\n      ").append(host.location()).append("\n    }\n")
            .append("    location / { return 404; }\n  }\n");
      }
      config.append("}\n");
      Path configFile = dir.resolve("nginx-hosts.conf");
      Files.writeString(configFile, config);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      return new LocalPolicyHosts(TestDaemon.start(List.of(LocalNginx.binary().toString(), "-c",
          configFile.toString(), "-e", "stderr"), dir.resolve("nginx-hosts.log"), () -> hosts.stream().allMatch(
              h -> TestDaemon.accepts(new InetSocketAddress(LocalDns.loopback(h.loopback()), 443)))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    daemon.close();
  }
}
