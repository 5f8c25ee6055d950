package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.operator.status.RolloutProgress;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyServing;
import dev.mtasts.publication.PublishedPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Optional;

/**
 * What the reconciler decided and observed before it runs the workflow: the operator's defaults, the policy as
 * published (so every dependent of one reconciliation sees the same id) and the fetch of the served policy. JOSDK
 * hands desired() and conditions only the resource and the context, so this one value rides in the context; it
 * is written once, before the workflow, and only read after. With {@code --dns-publisher=rfc2136} it also carries
 * the publisher the records go through (JOSDK makes dependents with no-argument constructors), and, through a
 * Gateway, its verdict on our routes and listeners as observed before the workflow; which server serves the policy
 * and its rollout, as observed before the workflow; and the namespaces' shared servers.
 */
public record WorkflowInputs(OperatorSettings settings, PublishedPolicy published, Optional<ServedPolicy> served,
    Optional<DnsUpdatePublisher> dnsUpdates, Optional<ConditionList.Decided> gateway, PolicyServing serving,
    RolloutProgress.State rollout, SharedPolicyServers sharedServers) {

  public static WorkflowInputs of(Context<MtaStsPolicy> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(WorkflowInputs.class, WorkflowInputs.class);
  }

  public void putInto(Context<MtaStsPolicy> context) {
    context.managedWorkflowAndDependentResourceContext().put(WorkflowInputs.class, this);
  }
}
