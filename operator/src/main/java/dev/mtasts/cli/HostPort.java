package dev.mtasts.cli;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * HOST, HOST:PORT, an IPv6 address, or [IPv6]:PORT, as --resolver and --dns-resolver take a DNS server. A bare IPv6
 * address has more than one colon, so it is never read as HOST:PORT.
 */
final class HostPort {

  /** The characters of an IPv6 literal (an embedded IPv4 part included); anything else with two colons is a typo. */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private HostPort() {}

  static InetSocketAddress parse(String value, int defaultPort) {
    try {
      if (value.startsWith("[")) {
        int close = value.indexOf(']');
        if (close < 0 || (close + 1 < value.length() && value.charAt(close + 1) != ':')) {
          throw new IllegalArgumentException("a bracketed address ends with ] or ]:PORT");
        }
        String host = ipv6(value.substring(1, close));
        return close + 1 < value.length()
            ? new InetSocketAddress(host, port(value.substring(close + 2)))
            : new InetSocketAddress(host, defaultPort);
      }
      int colon = value.indexOf(':');
      if (colon < 0) {
        return new InetSocketAddress(value, defaultPort);
      }
      if (colon != value.lastIndexOf(':')) {
        return new InetSocketAddress(ipv6(value), defaultPort);
      }
      return new InetSocketAddress(value.substring(0, colon), port(value.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "' is not HOST, HOST:PORT or [IPv6]:PORT", e);
    }
  }

  private static String ipv6(String text) {
    if (!IPV6.matcher(text).matches()) {
      throw new IllegalArgumentException("not an IPv6 address");
    }
    return text;
  }

  private static int port(String text) {
    return Integer.parseInt(text);
  }
}
