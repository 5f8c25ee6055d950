package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import java.util.List;
import java.util.Objects;

/**
 * What the rollout gate reads: the reports stored for the policy and the operator's own STARTTLS probe of its MX
 * hosts (reports can be forged by anyone, the probe cannot).
 */
public record RolloutEvidence(List<TlsRptReportSpec> reports, MxTlsVerdict mxTls) {

  /** No reports and no probe: a gate is never met on it. */
  public static final RolloutEvidence NONE = new RolloutEvidence(List.of(), MxTlsVerdict.NOT_PROBED);

  public RolloutEvidence {
    reports = List.copyOf(reports);
    Objects.requireNonNull(mxTls, "mxTls");
  }

  /** Whether every live MX host passed the probe, and what it found. */
  public record MxTlsVerdict(boolean passed, String message) {
    public static final MxTlsVerdict NOT_PROBED =
        new MxTlsVerdict(false, "the MX hosts have not been probed (--mx-tls-check-interval)");

    public MxTlsVerdict {
      Objects.requireNonNull(message, "message");
    }
  }
}
