package dev.mtasts.testing;

import dev.mtasts.dnsupdate.TsigKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Debian's Knot DNS on loopback, authoritative for the test zones, as the resolver {@code check} asks. */
public final class LocalDns implements AutoCloseable {

  private final TestDaemon daemon;
  private final InetSocketAddress address;
  private final Path dir;

  private LocalDns(TestDaemon daemon, InetSocketAddress address, Path dir) {
    this.daemon = daemon;
    this.address = address;
    this.dir = dir;
  }

  /** Replaces a zone's records and has knotd load them, as a DNS operator would publish a change. */
  public void update(String zone, String zoneText) {
    try {
      Files.writeString(dir.resolve(zone + ".zone"), zoneText);
      Process reload = new ProcessBuilder(binary().resolveSibling("knotc").toString(), "-c",
          dir.resolve("knot.conf").toString(), "zone-reload", zone).redirectErrorStream(true).start();
      if (reload.waitFor() != 0) {
        throw new IllegalStateException("knotc zone-reload " + zone + ": "
            + new String(reload.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Path binary() {
    for (Path candidate : List.of(Path.of("/usr/sbin/knotd"), Path.of("/usr/bin/knotd"))) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("No knotd on this machine: run test-infra/setup.sh (it installs knot)");
  }

  /** Serves each zone (origin to zone-file text, $ORIGIN and SOA included by the caller) on a free port. */
  public static LocalDns serve(Map<String, String> zones, Path dir) {
    return serve(zones, dir, new InetSocketAddress("127.0.0.1", Ports.free()));
  }

  /** As above, on the given address: port 53 for clients that read /etc/resolv.conf and cannot take a port. */
  public static LocalDns serve(Map<String, String> zones, Path dir, InetSocketAddress listen) {
    return serve(zones, dir, listen, Optional.empty());
  }

  /**
   * As above; with an update key, the zones take RFC 2136 updates and zone transfers signed with it (the ACL a DNS
   * provider's primary has for external-dns's rfc2136 provider and for the operator's own updates). Changes live in
   * memory only: the zone files are never written back and the journal keeps nothing.
   */
  static LocalDns serve(Map<String, String> zones, Path dir, InetSocketAddress listen, Optional<TsigKey> updateKey) {
    try {
      Files.createDirectories(dir.resolve("db"));
      int port = listen.getPort();
      StringBuilder config = new StringBuilder()
          .append("server:\n  listen: ").append(listen.getAddress().getHostAddress()).append('@').append(port).append("\n  rundir: ").append(dir).append('\n')
          .append("database:\n  storage: ").append(dir.resolve("db")).append('\n')
          .append("log:\n  - target: stderr\n    any: warning\n");
      updateKey.ifPresent(key -> config
          .append("key:\n  - id: ").append(key.name()).append("\n    algorithm: ").append(key.algorithm())
          .append("\n    secret: ").append(key.secret()).append('\n')
          .append("acl:\n  - id: update\n    key: ").append(key.name()).append("\n    action: [update, transfer]\n"));
      config.append("template:\n  - id: default\n    storage: ").append(dir).append('\n')
          .append("    zonefile-sync: -1\n    journal-content: none\n");
      updateKey.ifPresent(key -> config.append("    acl: update\n"));
      config.append("zone:\n");
      for (var zone : zones.entrySet()) {
        Files.writeString(dir.resolve(zone.getKey() + ".zone"), zone.getValue());
        config.append("  - domain: ").append(zone.getKey()).append("\n    file: ").append(zone.getKey())
            .append(".zone\n");
      }
      Path configFile = dir.resolve("knot.conf");
      Files.writeString(configFile, config);
      return new LocalDns(TestDaemon.start(List.of(binary().toString(), "-c", configFile.toString()),
          dir.resolve("knotd.log"), () -> answers(listen)), listen, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Any answer to a query for "." proves the server is up. */
  public static boolean answers(InetSocketAddress address) {
    byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1};
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(300);
      socket.send(new DatagramPacket(query, query.length, address));
      socket.receive(new DatagramPacket(new byte[512], 512));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    daemon.close();
  }

  /** Loopback addresses by number: 127.0.0.n. */
  public static InetAddress loopback(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) n});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
