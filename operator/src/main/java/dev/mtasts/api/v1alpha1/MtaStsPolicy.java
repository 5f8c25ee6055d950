package dev.mtasts.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One MTA-STS policy published for one or more mail domains: the policy file served at
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} and the {@code _mta-sts} (and optionally
 * {@code _smtp._tls}) TXT records of each domain.
 */
@Group(MtaStsPolicy.GROUP)
@Version(MtaStsPolicy.VERSION)
@Kind("MtaStsPolicy")
@Singular("mtastspolicy")
@Plural("mtastspolicies")
@ShortNames({"mtasts", "stspolicy"})
// The owned objects are named <name>-<suffix>; a Service name must be a DNS-1035 label of at most 63 characters.
@ValidationRule(
    value = "self.metadata.name.matches('" + MtaStsPolicy.NAME_PATTERN + "') && size(self.metadata.name) <= "
        + MtaStsPolicy.MAX_NAME_LENGTH,
    message = "metadata.name: must start with a letter, hold only lower-case letters, digits and '-', and be at most"
        + " 48 characters long (the owned Service is named <name>-policy-server)")
// Columns in the order kubectl shows them; CrdIsGeneratedTest keeps this order, which the generator would sort.
@AdditionalPrinterColumn(name = "Domains", jsonPath = ".spec.domains", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Serving", jsonPath = ".status.effectiveMode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Policy ID", jsonPath = ".status.policyId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE,
    format = PrinterColumnFormat.NONE)
public class MtaStsPolicy extends CustomResource<MtaStsPolicySpec, MtaStsPolicyStatus> implements Namespaced {

  public static final String GROUP = "mtasts.dev";
  public static final String VERSION = "v1alpha1";
  /** The owned objects are named &lt;name&gt;-&lt;suffix&gt;, so the name must leave room for the longest. */
  public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
  public static final int MAX_NAME_LENGTH = 48;

  @Override
  protected MtaStsPolicyStatus initStatus() {
    return null; // status is written by the operator only
  }
}
