package dev.mtasts.testing;

import dev.mtasts.dnsupdate.TsigKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's Knot DNS ({@link LocalDns}) as the primary of its zones: their ACL allows {@code update} and
 * {@code transfer} for one TSIG key. Knot raises each zone's SOA serial by one per update.
 */
public final class KnotPrimary implements DnsPrimary {

  private final LocalDns knot;
  private final TsigKey key;

  private KnotPrimary(LocalDns knot, TsigKey key) {
    this.knot = knot;
    this.key = key;
  }

  /** Serves each zone (origin to zone-file text, $ORIGIN and SOA included) at listen, updatable with key. */
  public static KnotPrimary serve(Map<String, String> zones, Path dir, InetSocketAddress listen, TsigKey key) {
    return new KnotPrimary(LocalDns.serve(zones, dir, listen, Optional.of(key)), key);
  }

  /** As above, with a fresh random key. */
  public static KnotPrimary serve(Map<String, String> zones, Path dir, InetSocketAddress listen) {
    return serve(zones, dir, listen, DnsPrimary.randomKey("mtasts-test"));
  }

  @Override
  public InetSocketAddress address() {
    return knot.address();
  }

  @Override
  public TsigKey updateKey() {
    return key;
  }

  @Override
  public void close() {
    knot.close();
  }

  @Override
  public String toString() {
    return "Knot at " + address();
  }
}
