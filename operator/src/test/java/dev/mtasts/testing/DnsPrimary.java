package dev.mtasts.testing;

import dev.mtasts.dnsupdate.TsigKey;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * An authoritative DNS server a test runs as a zone's primary: it serves its zones at {@link #address()} over UDP
 * and TCP and takes RFC 2136 updates signed with {@link #updateKey()}, as a DNS provider's primary does.
 */
public interface DnsPrimary extends AutoCloseable {

  InetSocketAddress address();

  /** The TSIG key the server's update ACL allows for every zone it serves. */
  TsigKey updateKey();

  @Override
  void close();

  /** A fresh key: 32 random bytes, as long as the HMAC-SHA256 output (RFC 2104 §3 advises no shorter). */
  static TsigKey randomKey(String name) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new TsigKey(name, "hmac-sha256", Base64.getEncoder().encodeToString(secret));
  }
}
