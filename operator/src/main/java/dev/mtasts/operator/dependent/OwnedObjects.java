package dev.mtasts.operator.dependent;

import dev.mtasts.desired.StandardLabels;

/** The informers watch only objects this operator manages, so their caches stay small in a busy cluster. */
public final class OwnedObjects {

  public static final String SELECTOR = StandardLabels.MANAGED_BY + "=" + StandardLabels.OPERATOR;

  private OwnedObjects() {}
}
