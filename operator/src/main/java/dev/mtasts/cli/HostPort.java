package dev.mtasts.cli;

import java.net.InetSocketAddress;

/**
 * HOST, HOST:PORT, an IPv6 address, or [IPv6]:PORT, as --resolver and --dns-resolver take a DNS server. A bare IPv6
 * address has more than one colon, so it is never read as HOST:PORT.
 */
final class HostPort {

  private HostPort() {}

  static InetSocketAddress parse(String value, int defaultPort) {
    try {
      if (value.startsWith("[")) {
        int close = value.indexOf(']');
        if (close < 0 || (close + 1 < value.length() && value.charAt(close + 1) != ':')) {
          throw new IllegalArgumentException("unbalanced brackets");
        }
        String host = value.substring(1, close);
        return close + 1 < value.length()
            ? new InetSocketAddress(host, port(value.substring(close + 2)))
            : new InetSocketAddress(host, defaultPort);
      }
      int colon = value.indexOf(':');
      if (colon < 0 || colon != value.lastIndexOf(':')) {
        return new InetSocketAddress(value, defaultPort);
      }
      return new InetSocketAddress(value.substring(0, colon), port(value.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "' is not HOST, HOST:PORT or [IPv6]:PORT", e);
    }
  }

  private static int port(String text) {
    return Integer.parseInt(text);
  }
}
