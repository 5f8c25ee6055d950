package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyService;
import dev.mtasts.operator.DesiredInputs;
import dev.mtasts.operator.status.ServedPolicyCheck;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.DetailedCondition;

/**
 * Ready unless a fetch of the policy through the Service returns another policy than the current one. When the
 * operator cannot reach the Service (run outside the cluster, or a NetworkPolicy), the rollout alone decides.
 */
public class PolicyServed implements DetailedCondition<Service, MtaStsPolicy, ServedPolicyCheck.Result> {

  @Override
  public Result<ServedPolicyCheck.Result> detailedIsMet(
      DependentResource<Service, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    ServedPolicyCheck check = context.managedWorkflowAndDependentResourceContext()
        .getMandatory(ServedPolicyCheck.class, ServedPolicyCheck.class);
    ServedPolicyCheck.Result result = check.check(
        policy.getMetadata().getNamespace(),
        ObjectNames.policyServer(policy),
        PolicyService.PORT,
        DesiredInputs.of(context).published().content().hash());
    context.managedWorkflowAndDependentResourceContext().put(ServedPolicyCheck.Result.class, result);
    return Result.withResult(result.outcome() != ServedPolicyCheck.Outcome.WRONG_POLICY, result);
  }
}
