package dev.mtasts.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One SMTP TLS report (RFC 8460) received by the operator for a policy: its summary, counts per receiving MX and
 * result type, and the first failure details. Written once by the operator, owned by the policy (deleted with it),
 * and deleted after {@code --report-retention}. Its name is derived from the sender and the report-id, so a report
 * received twice is stored once.
 */
@Group(MtaStsPolicy.GROUP)
@Version(MtaStsPolicy.VERSION)
@Kind("TlsRptReport")
@Singular("tlsrptreport")
@Plural("tlsrptreports")
@ShortNames({"tlsrpt"})
@AdditionalPrinterColumn(name = "Organization", jsonPath = ".spec.organization",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Domain", jsonPath = ".spec.domains[0]", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Start", jsonPath = ".spec.startDatetime", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "End", jsonPath = ".spec.endDatetime", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Successful", jsonPath = ".spec.successfulSessions",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".spec.failedSessions",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Policy", jsonPath = ".spec.policy", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    format = PrinterColumnFormat.NONE)
public class TlsRptReport extends CustomResource<TlsRptReportSpec, Void> implements Namespaced {

  /** The label that names the policy a report belongs to, so that a policy's reports are one list call away. */
  public static final String POLICY_LABEL = "mtasts.dev/policy";
}
