package dev.mtasts.demo;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.cli.MtaStsCommand;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.Kubectl;
import dev.mtasts.testing.LocalMta;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's main job on an embedded default, with no cluster of your own: the real stack the integration
 * tests use (kube-apiserver, etcd, the controller manager and scheduler, kwok's node, cert-manager, external-dns,
 * CoreDNS; only the kubelet's running of nginx and the ingress data plane are stood in for), the operator, and the
 * bundled example. It prints what a sender finds in DNS and at the policy URL, {@code kubectl get mtastspolicies},
 * and the verdict of {@code check} through the local DNS server, then stops everything.
 */
public final class LocalDemo {

  static final String NAMESPACE = "mail";
  static final String EXAMPLE = "examples/single-domain-testing.yaml";
  static final String DOMAIN = "example.com";
  /** The example's MX hosts: postfix on 127.0.1.62, with a certificate from cert-manager. */
  static final int MX_LOOPBACK = 62;
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    Path work = Files.createTempDirectory("mta-sts-demo");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    say("starting kube-apiserver, etcd, kube-controller-manager, kube-scheduler, kwok, cert-manager, CoreDNS and"
        + " external-dns (binaries from test-infra/setup.sh)");
    int exit;
    try (RealStack stack = RealStack.start(work.resolve("stack"))) {
      say(String.format("stack up in %.1f s; logs in %s", seconds(started), stack.dir()));
      StackPolicies policies = new StackPolicies(stack, NAMESPACE);
      Path[] mxCertificate = policies.issueCertificate("mx", List.of("mx1." + DOMAIN, "mx2." + DOMAIN), work);
      policies.publishMx(DOMAIN, "127.0.1." + MX_LOOPBACK);
      try (RunningOperator operator = policies.startOperator();
          LocalMta mta = LocalMta.serve(List.of(new LocalMta.Listener(MX_LOOPBACK, Optional.of(mxCertificate))),
              Files.createDirectories(work.resolve("mta")))) {
        say("operator running; applying " + EXAMPLE);
        MtaStsPolicy ready = policies.awaitReady(policies.apply(GoldenFile.read(GoldenFile.repoRoot()
            .resolve(EXAMPLE))), TIMEOUT);
        SenderView.Sample seen = policies.awaitSenderSees(DOMAIN, ready.getStatus().getPolicyId(),
            ready.getStatus().getPolicyHash(), TIMEOUT);
        say(String.format("Ready, and a sender finds it, %.1f s after the start", seconds(started)));

        System.out.println();
        System.out.println("== DNS answers (CoreDNS at " + stack.dns().getAddress().getHostAddress()
            + ", records written by external-dns)");
        seen.stsRecords().forEach(r -> System.out.println(ObjectNames.stsRecordName(DOMAIN) + ". " + seen.stsTtl()
            + " IN TXT \"" + r + "\""));
        System.out.println();
        System.out.println("== GET " + ObjectNames.policyUrl(DOMAIN)
            + " (TLS with cert-manager's certificate, through the ingress front end to the policy server pods)");
        System.out.print(stack.senderView(DOMAIN).policy().replace("\r\n", "\n"));
        System.out.println();
        System.out.println("== kubectl get mtastspolicies -n " + NAMESPACE + " -o wide");
        System.out.print(Kubectl.run(stack.cluster(), "get", "mtastspolicies", "-n", NAMESPACE, "-o", "wide").out());
        System.out.println();
        System.out.println("== what the operator saw before it said Ready (status.domains[0] and DnsPublished)");
        var domain = ready.getStatus().getDomains().get(0);
        System.out.println("policy URL: " + domain.getPolicyUrlAnswer().getMessage());
        System.out.println("DNS:        " + domain.getDns().getStsRecords() + " from " + domain.getDns().getServers()
            + ", since " + domain.getDns().getSince());
        StackPolicies.condition(ready, "DnsPublished").ifPresent(c -> System.out.println("DnsPublished=" + c.getStatus()
            + " (" + c.getReason() + "): " + c.getMessage()));
        System.out.println();
        Path ca = Files.write(work.resolve("ca.pem"), stack.caPem());
        String[] check = {"check", "--resolver", stack.dns().getAddress().getHostAddress() + ":"
            + stack.dns().getPort(), "--ca-file", ca.toString(), DOMAIN};
        System.out.println("== mta-sts-operator " + String.join(" ", check));
        exit = MtaStsCommand.commandLine(Clock.systemUTC(), new ByteArrayInputStream(new byte[0])).execute(check);
        System.out.println();
      }
      say("stopping the operator and the stack");
    }
    say(String.format("done in %.1f s", seconds(started)));
    System.exit(exit);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static void say(String line) {
    System.out.println("demo: " + line);
  }
}
