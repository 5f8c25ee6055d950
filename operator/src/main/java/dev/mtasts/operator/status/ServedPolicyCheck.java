package dev.mtasts.operator.status;

/** Fetches the policy through the policy server's Service, as a sender would fetch it through the Ingress. */
public interface ServedPolicyCheck {

  /** What the fetch found. */
  enum Outcome { SERVED, WRONG_POLICY, UNREACHABLE }

  /** The outcome and a sentence for the condition message. */
  record Result(Outcome outcome, String message) {}

  Result check(String namespace, String service, int port, String expectedHash);
}
