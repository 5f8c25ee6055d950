package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Whether the policy's own Deployment and Service are kept: in mode Dedicated, and after a switch to Shared until
 * its hosts are routed to the shared server, so that someone serves the policy all the while. Unmet, JOSDK deletes
 * them; nothing depends on them for the records, whose gate is {@link PolicyServedByItsServer}.
 */
public class KeepsDedicatedServer implements Condition<HasMetadata, MtaStsPolicy> {

  @Override
  public boolean isMet(DependentResource<HasMetadata, MtaStsPolicy> dependent, MtaStsPolicy policy,
      Context<MtaStsPolicy> context) {
    return WorkflowInputs.of(context).serving().keepsDedicated();
  }
}
