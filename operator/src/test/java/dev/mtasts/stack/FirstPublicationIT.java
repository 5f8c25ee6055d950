package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.DomainStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.testing.LocalMta;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain's first publication with every component a user runs: the operator's Deployment rolled out by the
 * Deployment controller onto kwok's node, its certificate issued by cert-manager, its records written by
 * external-dns into Knot. Then two senders' views agree that the domain is valid: our {@code check} and
 * postfix-mta-sts-resolver's {@code mta-sts-query}, both through the DNS server and the HTTPS front end, trusting
 * only the CA cert-manager issued from.
 */
@ExtendWith(RealStackExtension.class)
class FirstPublicationIT {

  static final String NAMESPACE = "first";
  static final String DOMAIN = "first.example.com";
  /** The MX hosts' address: postfix with a certificate cert-manager issued for both names. */
  static final int MX_LOOPBACK = 61;

  @Test
  void aSenderFindsTheRecordAndThePolicyAndBothClientsSayValid(RealStack stack, @TempDir Path dir) throws Exception {
    // postfix's own user must reach its folders below the test's.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    StackPolicies policies = new StackPolicies(stack, NAMESPACE);
    Path[] mxCertificate = policies.issueCertificate("mx", List.of("mx1." + DOMAIN, "mx2." + DOMAIN), dir);
    policies.publishMx(DOMAIN, "127.0.1." + MX_LOOPBACK);
    try (RunningOperator operator = policies.startOperator();
        LocalMta mta = LocalMta.serve(List.of(new LocalMta.Listener(MX_LOOPBACK, Optional.of(mxCertificate))),
            Files.createDirectories(dir.resolve("mta")))) {
      MtaStsPolicy applied = policies.apply("""
          apiVersion: mtasts.dev/v1alpha1
          kind: MtaStsPolicy
          metadata:
            name: first
            namespace: first
          spec:
            domains: [first.example.com]
            mode: enforce
            mx: [mx1.first.example.com, mx2.first.example.com]
            maxAge: 86400
          """);

      MtaStsPolicy ready = policies.awaitReady(applied, Duration.ofMinutes(3));
      String id = ready.getStatus().getPolicyId();
      // Ready means DNS answered: asked right away, the DNS server already has the id.
      assertThat(new SenderView(DOMAIN, stack.dns(), stack.caPem()).dnsId()).contains(id);
      assertThat(StackPolicies.condition(ready, "DnsPublished").orElseThrow().getReason()).isEqualTo("DnsAnswers");
      DomainStatus domain = ready.getStatus().getDomains().get(0);
      assertThat(domain.getDns().getCurrent()).isTrue();
      assertThat(domain.getDns().getStsRecords()).containsExactly("v=STSv1; id=" + id);
      assertThat(domain.getDns().getServers()).isEqualTo("ns1.ns.dns.example.com (127.0.0.54)");
      assertThat(domain.getPolicyUrlAnswer().getCurrent()).as(domain.getPolicyUrlAnswer().getMessage()).isTrue();

      SenderView.Sample seen = policies.awaitSenderSees(DOMAIN, id, ready.getStatus().getPolicyHash(),
          Duration.ofMinutes(1));
      assertThat(seen.stsRecords()).containsExactly("v=STSv1; id=" + id);

      policies.assertBothClientsSayValid(DOMAIN, id, dir);
    }
  }
}
