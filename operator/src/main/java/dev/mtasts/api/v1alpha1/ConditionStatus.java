package dev.mtasts.api.v1alpha1;

/** The status of a condition, as the Kubernetes API conventions spell it (cert-manager's conditions too). */
public enum ConditionStatus {
  TRUE("True"),
  FALSE("False"),
  UNKNOWN("Unknown");

  private final String value;

  ConditionStatus(String value) {
    this.value = value;
  }

  /** The string in {@code status.conditions[].status}. */
  public String value() {
    return value;
  }

  /** True when a condition's status string is "True"; false for "False", "Unknown", null or anything else. */
  public static boolean isTrue(String status) {
    return TRUE.value.equals(status);
  }

  public static ConditionStatus of(String status) {
    for (ConditionStatus s : values()) {
      if (s.value.equals(status)) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
