package dev.mtasts.testing.campaign;

import dev.mtasts.testing.stack.OperatorProcess;
import dev.mtasts.testing.stack.RealStack;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Starts and ends each {@link Fault} on the real stack, and counts them by kind. */
final class FaultInjector {

  private final RealStack stack;
  private final List<OperatorProcess> replicas;
  private final CuttableResolver operatorResolver;
  private final String leaseNamespace;
  private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
  private final List<OperatorProcess> killed = new ArrayList<>();

  FaultInjector(RealStack stack, List<OperatorProcess> replicas, CuttableResolver operatorResolver,
      String leaseNamespace) {
    this.stack = stack;
    this.replicas = replicas;
    this.operatorResolver = operatorResolver;
    this.leaseNamespace = leaseNamespace;
  }

  /** Starts the fault; returns what it did, for the timeline. */
  String start(Fault fault) {
    injected.merge(fault, 1, Integer::sum);
    return switch (fault) {
      case OPERATOR_KILLED -> {
        replicas.forEach(OperatorProcess::kill);
        killed.addAll(replicas);
        yield "killed every replica";
      }
      case LEADER_KILLED -> {
        OperatorProcess leader = leader();
        leader.kill();
        killed.add(leader);
        yield "killed the leader, " + leader.identity();
      }
      case API_SERVER_RESTARTED -> {
        stack.controlPlane().killApiServer();
        yield "killed kube-apiserver";
      }
      case ETCD_RESTARTED -> {
        stack.controlPlane().killEtcd();
        yield "killed etcd";
      }
      case EXTERNAL_DNS_DOWN -> {
        stack.stopExternalDns();
        yield "killed external-dns";
      }
      case DNS_SERVER_DOWN -> {
        stack.stopDnsServer();
        yield "killed the DNS server";
      }
      case CERT_MANAGER_DOWN -> {
        stack.stopCertManager();
        yield "killed cert-manager";
      }
      case ROLLOUT_STALLED -> {
        stack.holdNewContainers();
        yield "the node starts no container";
      }
      case POLICY_URL_UNREACHABLE -> {
        operatorResolver.cut();
        yield "policy hosts do not resolve for the operator";
      }
    };
  }

  /** Ends the fault: what was killed starts again, what was held goes on. */
  String end(Fault fault) {
    switch (fault) {
      case OPERATOR_KILLED, LEADER_KILLED -> {
        killed.forEach(OperatorProcess::restart);
        killed.clear();
      }
      case API_SERVER_RESTARTED -> stack.controlPlane().startApiServer();
      case ETCD_RESTARTED -> stack.controlPlane().startEtcd();
      case EXTERNAL_DNS_DOWN -> stack.startExternalDns();
      case DNS_SERVER_DOWN -> stack.startDnsServer();
      case CERT_MANAGER_DOWN -> stack.startCertManager();
      case ROLLOUT_STALLED -> stack.releaseNewContainers();
      case POLICY_URL_UNREACHABLE -> operatorResolver.heal();
    }
    return "healed";
  }

  /** A replica that exited by itself (it lost the Lease, an informer failed) is started again, as its pod would be. */
  List<String> restartExited() {
    List<String> restarted = new ArrayList<>();
    for (OperatorProcess replica : replicas) {
      if (!killed.contains(replica) && !replica.isRunning()) {
        replica.restart();
        restarted.add(replica.identity());
      }
    }
    return restarted;
  }

  Map<Fault, Integer> injected() {
    return Map.copyOf(injected);
  }

  private OperatorProcess leader() {
    try {
      Lease lease = stack.client().leases().inNamespace(leaseNamespace).withName("mta-sts-operator").get();
      String holder = lease == null ? "" : lease.getSpec().getHolderIdentity();
      return replicas.stream().filter(r -> r.identity().equals(holder)).findFirst().orElse(replicas.get(0));
    } catch (RuntimeException e) {
      return replicas.get(0);
    }
  }
}
