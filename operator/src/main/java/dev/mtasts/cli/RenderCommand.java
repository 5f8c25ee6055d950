package dev.mtasts.cli;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.desired.DesiredObjects;
import dev.mtasts.desired.SharedPolicyServer;
import dev.mtasts.publication.PolicyServing;
import java.util.Map;
import java.util.TreeMap;
import dev.mtasts.publication.DomainClaims;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.RolloutEvidence;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.Publication;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints, offline, exactly the objects the operator would apply for the given MtaStsPolicy resources. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Print, as multi-document YAML, the objects the operator would apply for each MtaStsPolicy: the ConfigMap"
            + " with the policy file and nginx config, the nginx Deployment and Service, the Ingress, the"
            + " cert-manager Certificate and the external-dns DNSEndpoint with the TXT records.",
        "Works offline, with the operator's own code. An invalid resource prints every problem (field and rule) on"
            + " standard error, nothing on standard output, and exits 1.",
        "A domain listed by several resources is published by the one with the older creationTimestamp, else the"
            + " earlier document, as the operator decides in a cluster: the others' records leave it out, and"
            + " standard error names the winner."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:rendered", "1:a resource is invalid", "2:usage error"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator render -f examples/single-domain-testing.yaml",
        "  kubectl get mtastspolicy example-com -o yaml | mta-sts-operator render -f -",
        "  mta-sts-operator render -f policy.yaml --now 2026-01-01T00:00:00Z --default-issuer letsencrypt-staging"})
final class RenderCommand implements Callable<Integer> {

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "A YAML file of one or more MtaStsPolicy documents, or - for standard input; repeatable.")
  List<String> files;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", paramLabel = "NAMESPACE",
      description = "Namespace for resources that set none (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--now", paramLabel = "INSTANT", converter = InstantConverter.class,
      description = "The time a new policy id is derived from, as 2026-01-01T00:00:00Z (default: the clock)."
          + " A resource whose status already holds the id of the same policy keeps that id.")
  Instant now;

  @Mixin OperatorSettingsOptions settingsOptions;

  @Spec CommandSpec spec;

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Clock clock;
  private final InputStream stdin;

  RenderCommand(Clock clock, InputStream stdin) {
    this.clock = clock;
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OperatorSettings settings = settingsOptions.toSettings(spec.commandLine());

    List<MtaStsPolicy> policies = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (String file : files) {
      PolicyDocuments.Reading reading = file.equals("-")
          ? PolicyDocuments.read(stdin, "<stdin>", namespace)
          : read(Path.of(file));
      policies.addAll(reading.policies());
      errors.addAll(reading.errors());
    }

    Instant at = now != null ? now : clock.instant();
    StringBuilder yaml = new StringBuilder();
    List<String> notes = new ArrayList<>();
    DomainClaims.Claimants claimants = DomainClaims.Claimants.inDocumentOrder(policies);
    // Per namespace, the policies its shared policy server serves, as the operator would have it once settled.
    Map<String, List<SharedPolicyServer.Member>> shared = new TreeMap<>();
    for (MtaStsPolicy policy : policies) {
      // The operator's own decision; MX discovery as before the first lookup: the list in status, if any.
      Publication.Decision decision = Publication.decide(policy, Optional.ofNullable(policy.getStatus()),
          MxObservation.NOT_YET, claimants, RolloutEvidence.NONE, settings.reportReceiver().isPresent(),
          at);
      if (!decision.isValid()) {
        errors.add(describe(policy) + " is invalid:\n  " + String.join("\n  ", decision.errors()));
        continue;
      }
      PublishedPolicy published = decision.published().orElseThrow();
      for (DomainConflict conflict : published.conflicts()) {
        notes.add(describe(policy) + ": " + conflict.describe() + "; its records leave the domain out");
      }
      yaml.append("# ").append(describe(policy)).append(": policy id ").append(published.policyId())
          .append(published.id().reason().map(r -> " (new: " + r + ")").orElse(" (unchanged)"))
          .append(", policy hash ").append(published.content().hash()).append('\n');
      for (HasMetadata object : DesiredObjects.of(policy, settings, published)) {
        yaml.append(SERIALIZATION.asYaml(object));
      }
      if (PolicyServing.wanted(policy, settings) == ServerMode.SHARED) {
        shared.computeIfAbsent(String.valueOf(policy.getMetadata().getNamespace()), n -> new ArrayList<>())
            .add(SharedPolicyServer.Member.of(policy, settings, published));
      }
    }
    shared.forEach((namespace, members) -> {
      yaml.append("# the shared policy server of namespace ").append(namespace).append(": ")
          .append(members.size()).append(members.size() == 1 ? " policy\n" : " policies\n");
      SharedPolicyServer.desired(namespace, members, settings).forEach(o -> yaml.append(SERIALIZATION.asYaml(o)));
    });

    if (!errors.isEmpty()) {
      errors.forEach(err::println);
      err.flush();
      return 1;
    }
    notes.forEach(err::println);
    err.flush();
    out.print(yaml);
    out.flush();
    return 0;
  }

  private static String describe(MtaStsPolicy policy) {
    return "MtaStsPolicy " + policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
  }

  private PolicyDocuments.Reading read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return PolicyDocuments.read(in, file.toString(), namespace);
    } catch (IOException e) {
      return new PolicyDocuments.Reading(List.of(), List.of(file + ": cannot read: " + e.getMessage()));
    }
  }
}
