package dev.mtasts.testing;

import dev.mtasts.dnsupdate.TsigKey;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Debian's PowerDNS Authoritative Server as the primary of its zones, from a directory of its own (Debian's
 * /etc/powerdns is not read): the gsqlite3 backend, zones loaded with pdnsutil from zone-file text, RFC 2136
 * updates ({@code dnsupdate=yes}) from loopback signed with one TSIG key (each zone's TSIG-ALLOW-DNSUPDATE), and the
 * HTTP API with a key, which external-dns's pdns provider speaks. Every cache is off, so an answer shows the
 * database as it is now. PowerDNS refuses a bad signature with REFUSED, unsigned, where Knot answers NOTAUTH with a
 * TSIG error.
 */
public final class PowerDns implements DnsPrimary {

  private static final Path SERVER = Path.of("/usr/sbin/pdns_server");
  private static final Path UTIL = Path.of("/usr/bin/pdnsutil");
  private static final Path SQLITE = Path.of("/usr/bin/sqlite3");
  private static final Path SCHEMA = Path.of("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final TestDaemon daemon;
  private final InetSocketAddress address;
  private final TsigKey key;
  private final URI api;
  private final String apiKey;

  private PowerDns(TestDaemon daemon, InetSocketAddress address, TsigKey key, URI api, String apiKey) {
    this.daemon = daemon;
    this.address = address;
    this.key = key;
    this.api = api;
    this.apiKey = apiKey;
  }

  /**
   * Serves each zone (origin to zone-file text, $ORIGIN and SOA included, as for {@link LocalDns}) at listen,
   * updatable with key; the HTTP API listens on a free port of the same address.
   */
  public static PowerDns serve(Map<String, String> zones, Path dir, InetSocketAddress listen, TsigKey key) {
    requireInstalled();
    try {
      Files.createDirectories(dir);
      Path database = dir.resolve("pdns.sqlite3");
      run(List.of(SQLITE.toString(), database.toString()), dir, SCHEMA);
      String host = listen.getAddress().getHostAddress();
      int apiPort = Ports.free();
      String apiKey = HexFormat.of().formatHex(randomBytes(16));
      Files.writeString(dir.resolve("pdns.conf"), String.join("\n",
          "launch=gsqlite3",
          "gsqlite3-database=" + database,
          "local-address=" + host,
          "local-port=" + listen.getPort(),
          // the control socket, by default in /var/run/pdns
          "socket-dir=" + dir,
          "daemon=no",
          "guardian=no",
          "write-pid=no",
          "disable-syslog=yes",
          // no security-status lookup to the outside
          "security-poll-suffix=",
          "webserver=yes",
          "webserver-address=" + host,
          "webserver-port=" + apiPort,
          "webserver-allow-from=127.0.0.0/8",
          "api=yes",
          "api-key=" + apiKey,
          "dnsupdate=yes",
          "allow-dnsupdate-from=127.0.0.0/8,::1",
          // else a zone made with pdnsutil while the server runs answers REFUSED for 5 minutes
          "zone-cache-refresh-interval=0",
          "cache-ttl=0",
          "query-cache-ttl=0",
          "negquery-cache-ttl=0",
          ""));
      util(dir, "import-tsig-key", key.name(), key.algorithm(), key.secret());
      for (var zone : zones.entrySet()) {
        Path file = dir.resolve(zone.getKey() + ".zone");
        Files.writeString(file, zone.getValue());
        util(dir, "load-zone", zone.getKey(), file.toString());
        // With this metadata only updates signed with the key are taken (without it, any from loopback are).
        util(dir, "set-meta", zone.getKey(), "TSIG-ALLOW-DNSUPDATE", key.name());
      }
      URI api = URI.create("http://" + host + ":" + apiPort + "/api/v1/servers/localhost");
      TestDaemon daemon = TestDaemon.start(List.of(SERVER.toString(), "--config-dir=" + dir),
          dir.resolve("pdns.log"), () -> LocalDns.answers(listen) && apiAnswers(api, apiKey));
      return new PowerDns(daemon, listen, key, api, apiKey);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** As above, with a fresh random key. */
  public static PowerDns serve(Map<String, String> zones, Path dir, InetSocketAddress listen) {
    return serve(zones, dir, listen, DnsPrimary.randomKey("mtasts-test"));
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public TsigKey updateKey() {
    return key;
  }

  /** The API's server resource, e.g. {@code http://127.0.1.11:21081/api/v1/servers/localhost}. */
  public URI api() {
    return api;
  }

  /** The value of the X-API-Key header the API wants. */
  public String apiKey() {
    return apiKey;
  }

  @Override
  public void close() {
    daemon.close();
  }

  @Override
  public String toString() {
    return "PowerDNS at " + address;
  }

  private static void requireInstalled() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(SERVER) || !Files.isExecutable(UTIL)) {
      missing.add("pdns-server (" + SERVER + ", " + UTIL + ")");
    }
    if (!Files.isRegularFile(SCHEMA)) {
      missing.add("pdns-backend-sqlite3 (" + SCHEMA + ")");
    }
    if (!Files.isExecutable(SQLITE)) {
      missing.add("sqlite3 (" + SQLITE + ")");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("No PowerDNS on this machine: run test-infra/setup.sh (it installs "
          + String.join(", ", missing) + ")");
    }
  }

  private static void util(Path dir, String... arguments) {
    List<String> command = new ArrayList<>(List.of(UTIL.toString(), "--config-dir=" + dir));
    command.addAll(List.of(arguments));
    run(command, dir, null);
  }

  private static void run(List<String> command, Path dir, Path input) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      if (input != null) {
        builder.redirectInput(input.toFile());
      }
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
            + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean apiAnswers(URI api, String apiKey) {
    try {
      HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(api)
          .header("X-API-Key", apiKey).timeout(Duration.ofSeconds(1)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
