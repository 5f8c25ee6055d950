package dev.mtasts.operator.dependent;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.StandardLabels;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The informers watch only objects this operator manages, so their caches stay small in a busy cluster. */
public final class OwnedObjects {

  public static final String SELECTOR = StandardLabels.MANAGED_BY + "=" + StandardLabels.OPERATOR;
  /**
   * The controller's name, which JOSDK's dependents apply with as server-side apply field manager; the shared
   * policy server is applied under the same one.
   */
  public static final String FIELD_MANAGER = "mtastspolicy";

  private OwnedObjects() {}

  /**
   * Which object of the informer's cache is this policy's: known from the name alone, so JOSDK need not build the
   * desired object just to find it.
   */
  static ResourceID id(String name, MtaStsPolicy policy) {
    return new ResourceID(name, policy.getMetadata().getNamespace());
  }
}
