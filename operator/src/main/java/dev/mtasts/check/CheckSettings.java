package dev.mtasts.check;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how {@code check} looks: real use needs none of these; tests point them at local servers.
 *
 * @param resolver the DNS server to ask (default: the system's resolvers)
 * @param caFile PEM certificates to trust instead of the JDK's trust store
 * @param timeout for each DNS query, connection and read
 * @param smtpPort the port MX hosts are probed on (25, as senders connect)
 * @param certificateWarning how close to expiry an MX certificate is reported
 */
public record CheckSettings(
    Optional<InetSocketAddress> resolver,
    Optional<Path> caFile,
    Duration timeout,
    int smtpPort,
    Duration certificateWarning) {

  /** RFC 8461 §3.3: senders should not accept a policy body larger than 64 KiB. */
  public static final int MAX_POLICY_BYTES = 64 * 1024;

  public static CheckSettings defaults() {
    return new CheckSettings(Optional.empty(), Optional.empty(), Duration.ofSeconds(10), 25, Duration.ofDays(14));
  }
}
