package dev.mtasts.testing.campaign;

/**
 * The faults a campaign injects between spec edits. Each starts at once and ends after a hold: a killed process is
 * started again (as its ReplicaSet or systemd would), a stopped one resumes.
 */
public enum Fault {
  /** SIGKILL of both operator replicas: nobody reconciles until they are back. */
  OPERATOR_KILLED,
  /** SIGKILL of the replica holding the Lease: the other takes over once the Lease expires. */
  LEADER_KILLED,
  /** SIGKILL of kube-apiserver: every client loses its watches. */
  API_SERVER_RESTARTED,
  /** SIGKILL of etcd under a running API server. */
  ETCD_RESTARTED,
  /** external-dns stopped: DNSEndpoints are not read into DNS. */
  EXTERNAL_DNS_DOWN,
  /** The authoritative DNS server stopped: senders and the operator get no answer. */
  DNS_SERVER_DOWN,
  /** cert-manager's controller stopped: no certificate is issued. */
  CERT_MANAGER_DOWN,
  /** The node starts no new container: a rollout stalls with its new pods unready. */
  ROLLOUT_STALLED,
  /** The policy hosts stop resolving for the operator alone: it cannot fetch the URL as a sender would. */
  POLICY_URL_UNREACHABLE
}
