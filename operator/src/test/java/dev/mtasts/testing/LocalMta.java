package dev.mtasts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * Debian's postfix as the MX hosts: one instance with a config directory of its own and one smtpd listener per
 * address (127.0.1.x:25 unless given), each with its own certificate, or with STARTTLS turned off.
 */
public final class LocalMta implements AutoCloseable {

  /** One MX host: its address and its certificate, or none for a server without STARTTLS. */
  public record Listener(InetSocketAddress address, Optional<Path[]> certificateAndKey) {
    /** On 127.0.1.n:25. */
    public Listener(int loopback3, Optional<Path[]> certificateAndKey) {
      this(new InetSocketAddress("127.0.1." + loopback3, 25), certificateAndKey);
    }

    String hostPort() {
      return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
  }

  private final TestDaemon daemon;
  private final Path config;

  private LocalMta(TestDaemon daemon, Path config) {
    this.daemon = daemon;
    this.config = config;
  }

  public static Path binary() {
    Path binary = Path.of("/usr/sbin/postfix");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("No postfix on this machine: run test-infra/setup.sh (it installs postfix)");
    }
    return binary;
  }

  /** Listens on each listener's address. */
  public static LocalMta serve(List<Listener> listeners, Path dir) {
    for (Listener listener : listeners) {
      if (TestDaemon.accepts(listener.address())) {
        // Another server there would answer in place of ours and make every result meaningless.
        throw new IllegalStateException("something already listens on " + listener.hostPort());
      }
    }
    try {
      Path config = Files.createDirectories(dir.resolve("postfix"));
      Path queue = Files.createDirectories(dir.resolve("postfix-queue"));
      Path data = Files.createDirectories(dir.resolve("postfix-data"));
      Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("rwxr-xr-x"));
      // postfix refuses a data directory it does not own (master.lock lives there).
      new ProcessBuilder("chown", "postfix:postfix", data.toString()).inheritIO().start().waitFor();
      Files.writeString(config.resolve("main.cf"), """
          compatibility_level = 3.6
          queue_directory = %s
          data_directory = %s
          mail_owner = postfix
          myhostname = mx.test
          mydestination =
          inet_protocols = ipv4
          maillog_file = /dev/stdout
          smtpd_banner = $myhostname ESMTP
          smtpd_tls_security_level = may
          """.formatted(queue, data));
      StringBuilder master = new StringBuilder();
      for (Listener listener : listeners) {
        master.append(listener.hostPort()).append(" inet n - n - - smtpd");
        if (listener.certificateAndKey().isPresent()) {
          Path[] files = listener.certificateAndKey().get();
          master.append(" -o smtpd_tls_cert_file=").append(files[0]).append(" -o smtpd_tls_key_file=").append(files[1]);
        } else {
          master.append(" -o smtpd_tls_security_level=none");
        }
        master.append('\n');
      }
      for (String service : List.of("pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup",
          "qmgr unix n - n 300 1 qmgr", "tlsmgr unix - - n 1000? 1 tlsmgr", "rewrite unix - - n - - trivial-rewrite",
          "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce",
          "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap",
          "smtp unix - - n - - smtp", "relay unix - - n - - smtp", "showq unix n - n - - showq",
          "error unix - - n - - error", "retry unix - - n - - error", "discard unix - - n - - discard",
          "local unix - n n - - local", "anvil unix - - n - 1 anvil", "scache unix - - n - 1 scache",
          "postlog unix-dgram n - n - 1 postlogd")) {
        master.append(service).append('\n');
      }
      Files.writeString(config.resolve("master.cf"), master);
      return new LocalMta(TestDaemon.start(List.of(binary().toString(), "-c", config.toString(), "start-fg"),
          dir.resolve("postfix.log"), () -> listeners.stream().allMatch(l -> TestDaemon.accepts(l.address()))),
          config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      // A clean stop, so that no master process outlives the test and answers in the next one's place.
      new ProcessBuilder(binary().toString(), "-c", config.toString(), "stop").start().waitFor();
    } catch (IOException e) {
      // the daemon is stopped below in any case
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    daemon.close();
  }
}
