package dev.mtasts.testing.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The pod address range must be routed to this host (test-infra/setup.sh does it), or no pod can be reached. */
final class PodNetwork {

  private PodNetwork() {}

  static void requireLocalRoute(String cidr) {
    try {
      Process ip = new ProcessBuilder("ip", "route", "show", "table", "local").redirectErrorStream(true).start();
      String routes = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (ip.waitFor() != 0 || routes.lines().noneMatch(l -> l.startsWith("local " + cidr + " "))) {
        throw new IllegalStateException("The pod range " + cidr + " is not routed to this host: run "
            + "test-infra/setup.sh (it runs `ip route add local " + cidr + " dev lo`)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
