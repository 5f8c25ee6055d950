package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.SharedPolicyServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import java.util.Optional;

/**
 * The policy's part in its namespace's shared policy server: in it while it asks for the shared server or is
 * routed there, left out otherwise (the server goes with its last member). Not a JOSDK Kubernetes dependent: the
 * objects have every member as owner, and are applied for all of them at once ({@link SharedPolicyServers}).
 */
public class SharedPolicyServerDependent implements DependentResource<Deployment, MtaStsPolicy>, NameSetter {

  // The workflow finds a dependent by the name it reports, so dependsOn can name this one.
  private String name = DependentResource.defaultNameFor(SharedPolicyServerDependent.class);

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setName(String name) {
    this.name = name;
  }

  @Override
  public ReconcileResult<Deployment> reconcile(MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    WorkflowInputs inputs = WorkflowInputs.of(context);
    Optional<SharedPolicyServer.Member> self = inputs.serving().inShared()
        ? Optional.of(SharedPolicyServer.Member.of(policy, inputs.settings(), inputs.published()))
        : Optional.empty();
    inputs.sharedServers().apply(policy, self, context);
    return ReconcileResult.noOperation(null);
  }

  @Override
  public Class<Deployment> resourceType() {
    return Deployment.class;
  }
}
