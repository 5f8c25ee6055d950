package dev.mtasts.testing;

import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.operator.ServedPolicyCheck;
import dev.mtasts.operator.status.ServedPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** The operator as {@code run} starts it, in the test's JVM, watching one namespace. */
public final class RunningOperator implements AutoCloseable {

  private final MtaStsOperator operator;
  private final KubernetesClient client;

  private RunningOperator(MtaStsOperator operator, KubernetesClient client) {
    this.operator = operator;
    this.client = client;
  }

  /** Starts with a client of its own, configured as {@code run} configures it (with the client's retries). */
  public static RunningOperator start(KubernetesCluster cluster, String namespace, ServedPolicyCheck check) {
    return start(cluster, namespace, check, Optional.empty());
  }

  /** As above, polling MX records as configured. */
  public static RunningOperator start(KubernetesCluster cluster, String namespace, ServedPolicyCheck check,
      Optional<MtaStsOperator.MxCheck> mxCheck) {
    return start(cluster, namespace, OperatorSettings.defaults(), check, mxCheck);
  }

  /** As above, with the given operator-wide settings (an issuer of the test cluster, say). */
  public static RunningOperator start(KubernetesCluster cluster, String namespace, OperatorSettings settings,
      ServedPolicyCheck check, Optional<MtaStsOperator.MxCheck> mxCheck) {
    return start(cluster, namespace, settings, check, mxCheck, Optional.empty());
  }

  /** As above, looking at DNS and the policy URLs as configured. */
  public static RunningOperator start(KubernetesCluster cluster, String namespace, OperatorSettings settings,
      ServedPolicyCheck check, Optional<MtaStsOperator.MxCheck> mxCheck, Optional<MtaStsOperator.DnsCheck> dnsCheck) {
    return start(cluster, namespace, settings, check, mxCheck, dnsCheck, Optional.empty());
  }

  /** As above, with the records written by RFC 2136 update when dnsUpdate is given. */
  public static RunningOperator start(KubernetesCluster cluster, String namespace, OperatorSettings settings,
      ServedPolicyCheck check, Optional<MtaStsOperator.MxCheck> mxCheck, Optional<MtaStsOperator.DnsCheck> dnsCheck,
      Optional<MtaStsOperator.DnsUpdate> dnsUpdate) {
    return start(cluster, new MtaStsOperator.Options(settings, Set.of(namespace), Optional.empty(), -1, -1,
        mxCheck, dnsCheck, dnsUpdate), check);
  }

  /** As {@code run --report-*} starts it: storing, receiving and reading the TLS-RPT reports as {@code reports} says. */
  public static RunningOperator start(KubernetesCluster cluster, String namespace, OperatorSettings settings,
      ServedPolicyCheck check, MtaStsOperator.Reports reports) {
    return start(cluster, new MtaStsOperator.Options(settings, Set.of(namespace), Optional.empty(), -1, -1,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(reports)), check);
  }

  /** With the options given, as {@code run} would pass them. */
  public static RunningOperator start(KubernetesCluster cluster, MtaStsOperator.Options options,
      ServedPolicyCheck check) {
    return start(cluster, options, check, Clock.systemUTC());
  }

  /** With every option as given (reports kept, the MX hosts probed) and the time from clock. */
  public static RunningOperator start(KubernetesCluster cluster, MtaStsOperator.Options options,
      ServedPolicyCheck check, Clock clock) {
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(cluster.kubeconfigYaml())).build();
    MtaStsOperator operator = new MtaStsOperator(client, options, check, clock);
    try {
      operator.start();
    } catch (IOException | RuntimeException e) {
      operator.close();
      client.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return new RunningOperator(operator, client);
  }

  /** The running operator: its report receiver's port, what its /metrics would serve. */
  public MtaStsOperator operator() {
    return operator;
  }

  /** No pod runs here, so the Service cannot be reached: the rollout alone decides, as outside a cluster. */
  public static ServedPolicyCheck unreachableService() {
    return (namespace, service, port, hash) -> new ServedPolicy(
        ServedPolicy.Outcome.UNREACHABLE, "no pods run in this test cluster");
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
