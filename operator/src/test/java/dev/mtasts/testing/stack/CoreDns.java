package dev.mtasts.testing.stack;

import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalDns;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.RestartableDaemon;
import dev.mtasts.testing.TestDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * CoreDNS (github.com/coredns/coredns, built by test-infra/coredns.sh) authoritative for the stack's zones from
 * its etcd plugin, and the etcd it reads: external-dns's coredns provider writes the records there, in the SkyDNS
 * layout under /skydns. This etcd is the DNS server's own, not the cluster's.
 */
final class CoreDns implements AutoCloseable {

  static final String PREFIX = "/skydns";

  private final List<TestDaemon> processes;
  private final RestartableDaemon server;
  private final String etcdUrl;
  private final InetSocketAddress address;
  private final HttpClient http = HttpClient.newHttpClient();

  private CoreDns(List<TestDaemon> processes, RestartableDaemon server, String etcdUrl, InetSocketAddress address) {
    this.processes = processes;
    this.server = server;
    this.etcdUrl = etcdUrl;
    this.address = address;
  }

  static CoreDns start(List<String> zones, InetSocketAddress listen, Path dir) {
    return start(zones, java.util.Map.of(), listen, dir);
  }

  /**
   * As above, and forwarding each of the delegated zones to its own server (Knot, PowerDNS), as a resolver
   * finds a delegated zone's servers: whoever asks CoreDNS gets their answers, NS records included.
   */
  static CoreDns start(List<String> zones, java.util.Map<String, InetSocketAddress> delegated,
      InetSocketAddress listen, Path dir) {
    List<TestDaemon> started = new ArrayList<>();
    try {
      Path data = Files.createDirectories(dir.resolve("dns-etcd"));
      int client = Ports.free();
      int peer = Ports.free();
      String etcdUrl = "http://127.0.0.1:" + client;
      started.add(TestDaemon.start(List.of(
          KubernetesCluster.binaryDir().resolve("etcd").toString(),
          "--name", "dns", "--data-dir", data.toString(),
          "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
          "--listen-peer-urls", "http://127.0.0.1:" + peer,
          "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
          "--initial-cluster", "dns=http://127.0.0.1:" + peer),
          dir.resolve("dns-etcd.log"), () -> TestDaemon.accepts(new InetSocketAddress("127.0.0.1", client))));
      String zoneList = String.join(" ", zones);
      Path corefile = dir.resolve("Corefile");
      Files.writeString(corefile, """
          %1$s {
              bind %2$s
              etcd %1$s {
                  path %3$s
                  endpoint %4$s
              }
              errors
          }
          """.formatted(zoneList, listen.getAddress().getHostAddress(), PREFIX, etcdUrl)
          + delegated.entrySet().stream().map(z -> """
          %s {
              bind %s
              forward . %s:%d
              errors
          }
          """.formatted(z.getKey(), listen.getAddress().getHostAddress(), z.getValue().getAddress().getHostAddress(),
              z.getValue().getPort())).collect(java.util.stream.Collectors.joining()));
      RestartableDaemon server = RestartableDaemon.start(n -> TestDaemon.start(List.of(
          StackBinaries.cached("coredns", "test-infra/coredns.sh").toString(),
          "-conf", corefile.toString(), "-dns.port", String.valueOf(listen.getPort())),
          dir.resolve(RestartableDaemon.logName("coredns.log", n)), () -> LocalDns.answers(listen)));
      CoreDns dns = new CoreDns(started, server, etcdUrl, listen);
      // NS records, as a registrar's delegation would have them: the operator finds the zone's servers by them.
      // The etcd plugin answers NS for a zone from the entries under ns.dns.<zone>, each with its address.
      for (String zone : zones) {
        dns.put("ns.dns." + zone, "ns1", "{\"host\":\"" + listen.getAddress().getHostAddress() + "\"}");
      }
      return dns;
    } catch (IOException | RuntimeException e) {
      Collections.reverse(started);
      started.forEach(TestDaemon::close);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  InetSocketAddress address() {
    return address;
  }

  /** The etcd URL external-dns's coredns provider writes to (its ETCD_URLS). */
  String etcdUrl() {
    return etcdUrl;
  }

  /**
   * Writes one SkyDNS record by hand, as a DNS administrator would with etcdctl: for what external-dns's coredns
   * provider cannot write (it has no MX records).
   */
  void put(String name, String id, String json) {
    String key = key(name, id);
    String body = "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(json) + "\"}";
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(etcdUrl + "/v3/kv/put"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("etcd put " + key + ": " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every value stored for the name and below it, joined: what external-dns has written there. */
  String get(String name) {
    String prefix = key(name, "");
    String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
    String body = "{\"key\":\"" + base64(prefix) + "\",\"range_end\":\"" + base64(end) + "\"}";
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(etcdUrl + "/v3/kv/range"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      StringBuilder values = new StringBuilder();
      for (var kv : new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("kvs")) {
        values.append(new String(Base64.getDecoder().decode(kv.path("value").asText()), StandardCharsets.UTF_8))
            .append('\n');
      }
      return values.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String key(String name, String id) {
    List<String> labels = new ArrayList<>(List.of(name.split("\\.")));
    Collections.reverse(labels);
    return PREFIX + "/" + String.join("/", labels) + "/" + id;
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Stops the DNS server at once (SIGKILL); its records stay in its etcd. */
  void kill() {
    server.kill();
  }

  void restart() {
    server.start();
  }

  @Override
  public void close() {
    server.close();
    List<TestDaemon> reversed = new ArrayList<>(processes);
    Collections.reverse(reversed);
    reversed.forEach(TestDaemon::close);
  }
}
