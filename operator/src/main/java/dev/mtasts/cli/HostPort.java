package dev.mtasts.cli;

import java.net.InetSocketAddress;

/** HOST or HOST:PORT, as --resolver and --dns-resolver take a DNS server. */
final class HostPort {

  private HostPort() {}

  static InetSocketAddress parse(String value, int defaultPort) {
    int colon = value.lastIndexOf(':');
    try {
      return colon > 0
          ? new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)))
          : new InetSocketAddress(value, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "' is not HOST or HOST:PORT", e);
    }
  }
}
