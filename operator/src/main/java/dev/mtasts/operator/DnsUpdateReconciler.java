package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.dnsupdate.DnsUpdateException;
import dev.mtasts.operator.condition.ExposedThroughGateway;
import dev.mtasts.operator.condition.ExposedThroughIngress;
import dev.mtasts.operator.condition.ExposedThroughListenerSet;
import dev.mtasts.operator.condition.PolicyHostReady;
import dev.mtasts.operator.dependent.PolicyHttpRoutesDependent;
import dev.mtasts.operator.dependent.PolicyListenerSetDependent;
import dev.mtasts.operator.condition.GatewayApiServed;
import dev.mtasts.operator.condition.KeepsDedicatedServer;
import dev.mtasts.operator.condition.PolicyServedByItsServer;
import dev.mtasts.operator.dependent.SharedPolicyServerDependent;
import dev.mtasts.operator.dependent.DnsUpdatePublisher;
import dev.mtasts.operator.dependent.PolicyCertificateDependent;
import dev.mtasts.operator.dependent.PolicyConfigMapDependent;
import dev.mtasts.operator.dependent.PolicyDnsUpdateDependent;
import dev.mtasts.operator.dependent.PolicyIngressDependent;
import dev.mtasts.operator.dependent.PolicyServerDeploymentDependent;
import dev.mtasts.operator.dependent.PolicyServiceDependent;
import dev.mtasts.publication.OperatorSettings;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler with {@code --dns-publisher=rfc2136}: the same workflow, except that the last step writes the
 * records to the zone's primary by RFC 2136 update instead of applying a DNSEndpoint, and that deleting a policy
 * removes its records (nothing else would: there is no external-dns to notice). That removal needs a finalizer,
 * which is why this is a reconciler of its own and not a branch: in external-dns mode no finalizer is added.
 */
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
        @Dependent(name = "policy-file", type = PolicyConfigMapDependent.class),
        // The policy's own server, in mode Dedicated and until a switch to Shared has moved its hosts.
        @Dependent(name = "policy-server", type = PolicyServerDeploymentDependent.class,
            dependsOn = "policy-file", reconcilePrecondition = KeepsDedicatedServer.class),
        @Dependent(name = "policy-service", type = PolicyServiceDependent.class,
            reconcilePrecondition = KeepsDedicatedServer.class),
        // The namespace's shared server (the policy in it or left out); ready when the server the policy asks for,
        // either one, serves it.
        @Dependent(name = "policy-servers", type = SharedPolicyServerDependent.class,
            dependsOn = "policy-file", readyPostcondition = PolicyServedByItsServer.class),
        @Dependent(name = "certificate", type = PolicyCertificateDependent.class,
            readyPostcondition = PolicyHostReady.class),
        // The policy hosts are exposed one way, an Ingress or a Gateway's routes; the Gateway API dependents only
        // where the cluster serves their CRDs, so that an Ingress-only cluster needs none.
        @Dependent(name = "policy-host", type = PolicyIngressDependent.class,
            reconcilePrecondition = ExposedThroughIngress.class),
        @Dependent(name = "policy-listeners", type = PolicyListenerSetDependent.class,
            activationCondition = GatewayApiServed.class,
            reconcilePrecondition = ExposedThroughListenerSet.class),
        @Dependent(name = "policy-routes", type = PolicyHttpRoutesDependent.class,
            activationCondition = GatewayApiServed.class,
            reconcilePrecondition = ExposedThroughGateway.class),
        // As in MtaStsPolicyReconciler: a new id reaches DNS only after the new policy is served.
        @Dependent(name = "dns-records", type = PolicyDnsUpdateDependent.class,
            dependsOn = {"policy-servers", "certificate"})
    })
public final class DnsUpdateReconciler extends MtaStsPolicyReconciler implements Cleaner<MtaStsPolicy> {

  /** How soon a deletion whose records could not be removed tries again; the finalizer holds it meanwhile. */
  static final Duration REMOVAL_RETRY = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(DnsUpdateReconciler.class);

  private final DnsUpdatePublisher publisher;

  public DnsUpdateReconciler(OperatorSettings settings, ServedPolicyCheck servedPolicyCheck,
      Optional<MtaStsOperator.MxCheck> mxCheck, Optional<MtaStsOperator.DnsCheck> dnsCheck, Clock clock,
      DnsUpdatePublisher publisher) {
    super(settings, servedPolicyCheck, mxCheck, dnsCheck, clock, Optional.of(publisher));
    this.publisher = publisher;
  }

  @Override
  public DeleteControl cleanup(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    try {
      publisher.removeAll(policy);
      return DeleteControl.defaultDelete();
    } catch (DnsUpdateException | IllegalArgumentException e) {
      // The records stay until the server takes the removal: a deleted policy must not leave a live id behind.
      log.warn("policy={}/{} step=dns-update cannot remove the records: {}", policy.getMetadata().getNamespace(),
          policy.getMetadata().getName(), e.getMessage());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(REMOVAL_RETRY);
    }
  }
}
