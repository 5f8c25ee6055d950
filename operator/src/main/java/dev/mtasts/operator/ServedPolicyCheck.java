package dev.mtasts.operator;

import dev.mtasts.operator.status.ServedPolicy;

/** Fetches the policy through the policy server's Service, as a sender would fetch it through the Ingress. */
public interface ServedPolicyCheck {

  ServedPolicy check(String namespace, String service, int port, String expectedHash);
}
