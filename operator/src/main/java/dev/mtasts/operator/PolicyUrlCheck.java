package dev.mtasts.operator;

import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.PolicyUrlFetch;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.operator.status.ServedPolicy.Outcome;
import dev.mtasts.rfc.PolicyHash;

/**
 * Fetches a domain's policy at its public URL as a sender would ({@code check}'s fetch: DNS, TLS with hostname
 * verification, no redirect, text/plain), before its id is published. A policy host without an address, an
 * invalid certificate or another policy holds the id back; a connection that fails from here (a cluster that
 * cannot reach its own load balancer) leaves the decision to the fetch through the Service.
 */
public interface PolicyUrlCheck {

  ServedPolicy check(String domain, String expectedHash);

  /** The real fetch, with the DNS and trust settings of the operator's DNS check. */
  static PolicyUrlCheck asSenders(CheckSettings settings) {
    PolicyUrlFetch fetch = new PolicyUrlFetch(settings);
    return (domain, expectedHash) -> judge(fetch.fetch(domain), expectedHash);
  }

  static ServedPolicy judge(PolicyUrlFetch.Result result, String expectedHash) {
    return switch (result.outcome()) {
      case FETCHED -> {
        String hash = PolicyHash.ofBytes(result.body().orElseThrow());
        yield hash.equals(expectedHash)
            ? new ServedPolicy(Outcome.SERVED, result.url() + " serves the current policy over valid TLS")
            : new ServedPolicy(Outcome.WRONG_POLICY, result.url() + " serves policy hash " + hash.substring(0, 12)
                + ", not the current " + expectedHash.substring(0, 12));
      }
      case NO_ADDRESS, REFUSED -> new ServedPolicy(Outcome.WRONG_POLICY, result.summary());
      case UNREACHABLE -> new ServedPolicy(Outcome.UNREACHABLE, result.summary()
          + "; the operator cannot connect, so the fetch through the Service decides");
    };
  }
}
