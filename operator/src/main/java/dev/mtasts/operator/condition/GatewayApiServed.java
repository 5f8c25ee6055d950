package dev.mtasts.operator.condition;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.operator.dependent.WorkflowInputs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The activation of the Gateway API dependents: with {@code --gateway-api} on, once API discovery shows the cluster
 * serves the resource (discovery is open to every authenticated client, unlike the CRDs themselves). Until then
 * JOSDK registers no informer for it, so a cluster without the Gateway API CRDs runs Ingress policies as before.
 * A cluster that does not serve it is asked again at most every minute, so CRDs installed later are picked up
 * without a restart; once served, it is not asked again. The answers are kept per API server and resource, so
 * operators of several clusters in one JVM (the tests) never share them.
 */
public class GatewayApiServed implements Condition<HasMetadata, MtaStsPolicy> {

  static final Duration RECHECK = Duration.ofMinutes(1);
  private static final Map<String, Instant> notServedAt = new ConcurrentHashMap<>();
  private static final Map<String, Boolean> served = new ConcurrentHashMap<>();

  @Override
  public boolean isMet(
      DependentResource<HasMetadata, MtaStsPolicy> dependent, MtaStsPolicy policy, Context<MtaStsPolicy> context) {
    if (!WorkflowInputs.of(context).settings().gatewayApi()) {
      return false;
    }
    Class<HasMetadata> type = dependent.resourceType();
    String key = context.getClient().getMasterUrl() + " " + HasMetadata.getFullResourceName(type);
    if (served.getOrDefault(key, false)) {
      return true;
    }
    Instant last = notServedAt.get(key);
    if (last != null && last.plus(RECHECK).isAfter(Instant.now())) {
      return false;
    }
    boolean now = context.getClient().supports(type);
    if (now) {
      served.put(key, true);
    } else {
      notServedAt.put(key, Instant.now());
    }
    return now;
  }
}
