package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.OperatorSettings;
import dev.mtasts.desired.PublishedPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the dependents' desired() need beyond the resource: the operator's defaults and the policy as published
 * (with its allocated id and the domains this resource may publish). The reconciler decides it once, before it
 * runs the workflow, so every dependent of one reconciliation sees the same id.
 */
public record DesiredInputs(OperatorSettings settings, PublishedPolicy published) {

  public static DesiredInputs of(Context<MtaStsPolicy> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(DesiredInputs.class, DesiredInputs.class);
  }

  void putInto(Context<MtaStsPolicy> context) {
    context.managedWorkflowAndDependentResourceContext().put(DesiredInputs.class, this);
  }
}
