package dev.mtasts.cli;

import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.PublishedRecordsLookup;
import dev.mtasts.operator.HttpServedPolicyCheck;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.operator.reports.ReportRetention;
import dev.mtasts.reports.ImapMailboxSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The operator: watches MtaStsPolicy resources and keeps their objects applied. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run the operator: reconcile every MtaStsPolicy into its ConfigMap, nginx Deployment and Service, Ingress,"
            + " cert-manager Certificate and external-dns DNSEndpoint, publishing a new policy id only after the"
            + " new policy is served.",
        "It connects to the cluster of the in-cluster service account, or of $KUBECONFIG / ~/.kube/config."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator run",
        "  mta-sts-operator run --namespace mail --namespace mail-staging --default-issuer letsencrypt-staging",
        "  mta-sts-operator run --leader-election=false --health-port 8081 --metrics-port 8080"})
final class RunCommand implements Callable<Integer> {

  @Option(names = "--namespace", paramLabel = "NAMESPACE", split = ",",
      defaultValue = "${env:MTASTS_WATCH_NAMESPACES:-}",
      description = "Watch only these namespaces; repeatable or comma-separated (env MTASTS_WATCH_NAMESPACES;"
          + " default: all namespaces).")
  List<String> namespaces;

  @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Take a Lease before reconciling, so that several replicas can run and one works"
          + " (default: ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(names = "--lease-name", paramLabel = "NAME", defaultValue = "mta-sts-operator",
      description = "Name of the leader election Lease (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-namespace", paramLabel = "NAMESPACE", defaultValue = "${env:POD_NAMESPACE:-}",
      description = "Namespace of the Lease (env POD_NAMESPACE; default: the client's namespace).")
  String leaseNamespace;

  @Option(names = "--health-port", paramLabel = "PORT", defaultValue = "${env:MTASTS_HEALTH_PORT:-8081}",
      description = "Port of /healthz and /readyz; -1 to turn off (default: ${DEFAULT-VALUE}).")
  int healthPort;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:MTASTS_METRICS_PORT:-8080}",
      description = "Port of the Prometheus /metrics endpoint; -1 to turn off (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--mx-check-interval", paramLabel = "DURATION", defaultValue = "${env:MTASTS_MX_CHECK_INTERVAL:-PT10M}",
      converter = DurationConverter.class,
      description = "How often each policy's domains are looked up for their MX records (condition MxCovered), as"
          + " an ISO-8601 duration such as PT10M; PT0S turns the check off (env MTASTS_MX_CHECK_INTERVAL;"
          + " default: ${DEFAULT-VALUE}).")
  java.time.Duration mxCheckInterval;

  @Option(names = "--mx-tls-check-interval", paramLabel = "DURATION",
      defaultValue = "${env:MTASTS_MX_TLS_CHECK_INTERVAL:-PT1H}", converter = DurationConverter.class,
      description = "How often the operator probes each live MX host of a policy with a rollout gate by STARTTLS"
          + " on port 25, trusting the JDK's CAs or --trust-ca-file: a policy stays in testing mode until every host"
          + " passes with a valid certificate for its name. Failed hosts are probed again every minute, new ones at"
          + " once. PT0S, or --mx-check-interval=PT0S (whose hosts it probes), turns the probe off, and with it"
          + " every gate to enforce (env MTASTS_MX_TLS_CHECK_INTERVAL; default: ${DEFAULT-VALUE}).")
  java.time.Duration mxTlsCheckInterval;

  @Option(names = "--dns-resolver", paramLabel = "HOST[:PORT]", defaultValue = "${env:MTASTS_DNS_RESOLVER:-}",
      description = "DNS server for the MX check, for finding each zone's name servers and for the policy URL's"
          + " address, instead of the system's resolvers (env MTASTS_DNS_RESOLVER).")
  String dnsResolver;

  @Option(names = "--dns-check-interval", paramLabel = "DURATION",
      defaultValue = "${env:MTASTS_DNS_CHECK_INTERVAL:-PT5M}", converter = DurationConverter.class,
      description = "How often the published TXT records are looked up in DNS once DNS answers them (every 2 s"
          + " while a change is awaited); DnsPublished is True only when DNS answers them. PT0S turns the check off:"
          + " then DnsPublished says only that external-dns read the DNSEndpoint (env MTASTS_DNS_CHECK_INTERVAL;"
          + " default: ${DEFAULT-VALUE}).")
  java.time.Duration dnsCheckInterval;

  @Option(names = "--dns-records-at", paramLabel = "WHERE", defaultValue = "${env:MTASTS_DNS_RECORDS_AT:-authoritative}",
      description = "Where the TXT records are looked up: authoritative (every name server of the domain's zone,"
          + " found from its NS records, asked on port 53) or resolver (the --dns-resolver or system resolver alone,"
          + " for split-horizon DNS) (env MTASTS_DNS_RECORDS_AT; default: ${DEFAULT-VALUE}).")
  String dnsRecordsAt;

  @Option(names = "--dns-publish-timeout", paramLabel = "DURATION",
      defaultValue = "${env:MTASTS_DNS_PUBLISH_TIMEOUT:-PT10M}", converter = DurationConverter.class,
      description = "How long after the records are handed to external-dns DNS may still answer something else"
          + " before DnsPublished turns DnsNotAnswering, with a Warning Event (env MTASTS_DNS_PUBLISH_TIMEOUT;"
          + " default: ${DEFAULT-VALUE}).")
  java.time.Duration dnsPublishTimeout;

  @Option(names = "--policy-url-check", negatable = true, defaultValue = "${env:MTASTS_POLICY_URL_CHECK:-true}",
      fallbackValue = "true",
      description = "Before the first publication and before each new id, fetch https://mta-sts.<domain>/.well-known/"
          + "mta-sts.txt as a sender would (DNS, valid TLS, no redirect, text/plain) and hold the id back unless it"
          + " serves the new policy; where the operator cannot connect, the fetch through the Service decides"
          + " (env MTASTS_POLICY_URL_CHECK; default: ${DEFAULT-VALUE}).")
  boolean policyUrlCheck;

  @Option(names = "--trust-ca-file", paramLabel = "FILE", defaultValue = "${env:MTASTS_TRUST_CA_FILE:-}",
      description = "PEM CA certificates the policy URL fetch and the MX STARTTLS probe trust instead of the JDK's trust store, for a private"
          + " CA that your senders trust too (env MTASTS_TRUST_CA_FILE).")
  String trustCaFile;

  @Option(names = "--dns-publisher", paramLabel = "PUBLISHER",
      defaultValue = "${env:MTASTS_DNS_PUBLISHER:-external-dns}",
      description = "How the TXT records reach DNS: external-dns (a DNSEndpoint per policy, for external-dns's crd"
          + " source) or rfc2136 (dynamic updates signed with TSIG, straight to the zones' primary; deleting a policy"
          + " then removes its records, behind a finalizer) (env MTASTS_DNS_PUBLISHER; default: ${DEFAULT-VALUE}).")
  String dnsPublisher;

  @Option(names = "--rfc2136-primary", paramLabel = "HOST[:PORT]", defaultValue = "${env:MTASTS_RFC2136_PRIMARY:-}",
      description = "With --dns-publisher=rfc2136: the primary server that takes the updates for every zone the"
          + " policies' domains are in (env MTASTS_RFC2136_PRIMARY).")
  String rfc2136Primary;

  @Option(names = "--rfc2136-tsig-key-name", paramLabel = "NAME",
      defaultValue = "${env:MTASTS_RFC2136_TSIG_KEY_NAME:-}",
      description = "The TSIG key's name, as the server's update ACL names it (env MTASTS_RFC2136_TSIG_KEY_NAME). Its"
          + " secret, base64, is read from the environment variable MTASTS_RFC2136_TSIG_SECRET only, never a flag.")
  String rfc2136KeyName;

  @Option(names = "--rfc2136-tsig-algorithm", paramLabel = "ALGORITHM",
      defaultValue = "${env:MTASTS_RFC2136_TSIG_ALGORITHM:-hmac-sha256}",
      description = "The TSIG key's algorithm: hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384 or hmac-sha512 (env"
          + " MTASTS_RFC2136_TSIG_ALGORITHM; default: ${DEFAULT-VALUE}).")
  String rfc2136Algorithm;

  @Mixin OperatorSettingsOptions settingsOptions;

  @Spec CommandLine.Model.CommandSpec spec;

  /** The pod's name where the Downward API gives it, else the host name; unique per replica either way. */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    } catch (java.net.UnknownHostException e) {
      return "mta-sts-operator-" + ProcessHandle.current().pid();
    }
  }

  private Optional<java.net.InetSocketAddress> resolverAddress() {
    if (dnsResolver == null || dnsResolver.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(HostPort.parse(dnsResolver, 53));
  }

  /** The RFC 2136 publisher, from its flags and the secret's environment variable; a bad value names its flag. */
  Optional<MtaStsOperator.DnsUpdate> dnsUpdate(java.util.function.Function<String, String> environment) {
    switch (dnsPublisher) {
      case "external-dns":
        return Optional.empty();
      case "rfc2136":
        break;
      default:
        throw new CommandLine.ParameterException(spec.commandLine(), "--dns-publisher: \"" + dnsPublisher
            + "\" is neither external-dns nor rfc2136");
    }
    if (rfc2136Primary == null || rfc2136Primary.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--rfc2136-primary: required with --dns-publisher=rfc2136 (the server that takes the updates)");
    }
    String secret = Optional.ofNullable(environment.apply(TSIG_SECRET_VARIABLE)).orElse("");
    List<String> problems = dev.mtasts.dnsupdate.TsigKey.problems(rfc2136KeyName, rfc2136Algorithm, secret).stream()
        .map(p -> p.replaceFirst("^name:", "--rfc2136-tsig-key-name:")
            .replaceFirst("^algorithm:", "--rfc2136-tsig-algorithm:")
            .replaceFirst("^secret:", TSIG_SECRET_VARIABLE + ":"))
        .toList();
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    return Optional.of(new MtaStsOperator.DnsUpdate(HostPort.parse(rfc2136Primary, 53),
        new dev.mtasts.dnsupdate.TsigKey(rfc2136KeyName, rfc2136Algorithm, secret), java.time.Duration.ofSeconds(5)));
  }

  /** Where the TSIG secret comes from: the environment only (from a Secret), never the command line. */
  static final String TSIG_SECRET_VARIABLE = "MTASTS_RFC2136_TSIG_SECRET";

  /** The DNS and policy URL checks, from their flags; a bad value names its flag. */
  Optional<MtaStsOperator.DnsCheck> dnsCheck() {
    if (dnsCheckInterval.isZero()) {
      return Optional.empty();
    }
    PublishedRecordsLookup.Source source = switch (dnsRecordsAt) {
      case "authoritative" -> PublishedRecordsLookup.Source.AUTHORITATIVE;
      case "resolver" -> PublishedRecordsLookup.Source.RESOLVER;
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--dns-records-at: \"" + dnsRecordsAt
          + "\" is neither authoritative nor resolver");
    };
    Optional<java.nio.file.Path> ca = trustCa();
    return Optional.of(new MtaStsOperator.DnsCheck(new CheckSettings(resolverAddress(), ca,
        java.time.Duration.ofSeconds(3), 25, java.time.Duration.ofDays(14)), source, dnsCheckInterval,
        dnsPublishTimeout, policyUrlCheck));
  }

  /** The --trust-ca-file, checked readable. */
  private Optional<java.nio.file.Path> trustCa() {
    Optional<java.nio.file.Path> ca = trustCaFile.isBlank() ? Optional.empty()
        : Optional.of(java.nio.file.Path.of(trustCaFile));
    if (ca.isPresent() && !java.nio.file.Files.isReadable(ca.get())) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--trust-ca-file: cannot read " + ca.get());
    }
    return ca;
  }

  @Option(names = "--report-receiver-port", paramLabel = "PORT",
      defaultValue = "${env:MTASTS_REPORT_RECEIVER_PORT:--1}",
      description = "Port of the TLS-RPT report receiver (plain HTTP: only the policy servers reach it, which pass"
          + " on the reports POSTed to https://mta-sts.<domain>/tlsrpt); -1 for none (env"
          + " MTASTS_REPORT_RECEIVER_PORT; default: ${DEFAULT-VALUE}).")
  int reportReceiverPort;

  @Option(names = "--server-switch-grace", paramLabel = "DURATION",
      defaultValue = "${env:MTASTS_SERVER_SWITCH_GRACE:-" + MtaStsOperator.Options.SERVER_SWITCH_GRACE + "}",
      converter = DurationConverter.class,
      description = "How long the policy server a switch of spec.server.mode leaves keeps serving after the"
          + " policy's Ingress or routes moved away from it, for the ingress controller or Gateway to apply the new"
          + " backend (env MTASTS_SERVER_SWITCH_GRACE; default: ${DEFAULT-VALUE}).")
  java.time.Duration serverSwitchGrace;

  @Option(names = "--report-retention", paramLabel = "DURATION",
      defaultValue = "${env:MTASTS_REPORT_RETENTION:-" + ReportRetention.DEFAULT + "}",
      converter = DurationConverter.class,
      description = "How long a stored TLS-RPT report (a TlsRptReport object) is kept after its period ended"
          + " (env MTASTS_REPORT_RETENTION; default: ${DEFAULT-VALUE}).")
  java.time.Duration reportRetention;

  @Option(names = "--report-daily-limit", paramLabel = "N",
      defaultValue = "${env:MTASTS_REPORT_DAILY_LIMIT:-1000}",
      description = "At most this many new TLS-RPT reports are stored per policy per UTC day and replica; beyond,"
          + " senders get 503 and retry the next day. Reports are unauthenticated: the limit keeps a flood of forged"
          + " ones from growing etcd (env MTASTS_REPORT_DAILY_LIMIT; default: ${DEFAULT-VALUE}).")
  int reportDailyLimit;

  @Option(names = "--report-imap-url", paramLabel = "URL", defaultValue = "${env:MTASTS_REPORT_IMAP_URL:-}",
      description = "The mailbox the reports sent by mail (a mailto: rua) arrive in, polled by the leader:"
          + " imaps://HOST[:PORT][/FOLDER], or imap://... with STARTTLS required; the login comes from the"
          + " environment, MTASTS_REPORT_IMAP_USER and MTASTS_REPORT_IMAP_PASSWORD (a Secret) (env"
          + " MTASTS_REPORT_IMAP_URL; empty: no mailbox).")
  String reportImapUrl;

  @Option(names = "--report-imap-poll-interval", paramLabel = "DURATION",
      defaultValue = "${env:MTASTS_REPORT_IMAP_POLL_INTERVAL:-PT5M}", converter = DurationConverter.class,
      description = "How often the mailbox is read (env MTASTS_REPORT_IMAP_POLL_INTERVAL; default: ${DEFAULT-VALUE}).")
  java.time.Duration reportImapPollInterval;

  @Option(names = "--report-imap-processed-folder", paramLabel = "FOLDER",
      defaultValue = "${env:MTASTS_REPORT_IMAP_PROCESSED_FOLDER:-}",
      description = "Where a message goes once its reports are stored (it is marked \\Seen first); empty: it stays"
          + " in the folder, marked (env MTASTS_REPORT_IMAP_PROCESSED_FOLDER).")
  String reportImapProcessedFolder;

  @Option(names = "--report-imap-refused-folder", paramLabel = "FOLDER",
      defaultValue = "${env:MTASTS_REPORT_IMAP_REFUSED_FOLDER:-}",
      description = "Where a message goes that holds no report of ours (not a report, another domain's, too big);"
          + " it is marked \\Seen and MtaStsRefused first, the log says why (env MTASTS_REPORT_IMAP_REFUSED_FOLDER).")
  String reportImapRefusedFolder;

  @Option(names = "--report-imap-ca-file", paramLabel = "FILE", defaultValue = "${env:MTASTS_REPORT_IMAP_CA_FILE:-}",
      description = "PEM CA certificates the mailbox's TLS certificate is checked against instead of the JDK's"
          + " (env MTASTS_REPORT_IMAP_CA_FILE).")
  String reportImapCaFile;

  /** The reports: received, read from the mailbox, and read back into status; none without a receiver or mailbox. */
  Optional<MtaStsOperator.Reports> reports(java.util.function.UnaryOperator<String> env) {
    if (reportReceiverPort < 0 && reportImapUrl.isBlank()) {
      return Optional.empty();
    }
    Optional<ImapMailboxSettings> mailbox = reportImapUrl.isBlank() ? Optional.empty()
        : Optional.of(ImapMailboxSettings.of(reportImapUrl, env.apply("MTASTS_REPORT_IMAP_USER"),
                env.apply("MTASTS_REPORT_IMAP_PASSWORD"))
            .withPollInterval(reportImapPollInterval)
            .withProcessedFolder(nonBlank(reportImapProcessedFolder))
            .withRefusedFolder(nonBlank(reportImapRefusedFolder))
            .withCaFile(nonBlank(reportImapCaFile).map(java.nio.file.Path::of)));
    if (reportDailyLimit < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--report-daily-limit: " + reportDailyLimit + " must be at least 1");
    }
    return Optional.of(new MtaStsOperator.Reports(reportRetention, reportReceiverPort, mailbox)
        .withDailyLimit(reportDailyLimit));
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** How many MX hosts are probed at once: a few, so that a policy with many slow hosts holds no thread pool. */
  static final int MX_TLS_CONCURRENCY = 4;

  /** The MX STARTTLS probe, from its flag; off with the MX check, whose hosts it probes. */
  Optional<MtaStsOperator.MxTlsSettings> mxTlsCheck() {
    if (mxTlsCheckInterval.isZero() || mxCheckInterval.isZero()) {
      return Optional.empty();
    }
    return Optional.of(new MtaStsOperator.MxTlsSettings(new CheckSettings(resolverAddress(), trustCa(),
        java.time.Duration.ofSeconds(10), 25, java.time.Duration.ofDays(14)), mxTlsCheckInterval,
        MX_TLS_CONCURRENCY));
  }

  @Override
  public Integer call() throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().build();
    var namespaceSet = new LinkedHashSet<String>();
    namespaces.stream().map(String::trim).filter(n -> !n.isEmpty()).forEach(namespaceSet::add);
    Optional<MtaStsOperator.LeaderElection> election = leaderElection
        ? Optional.of(new MtaStsOperator.LeaderElection(leaseName,
            leaseNamespace.isEmpty() ? client.getNamespace() : leaseNamespace, identity(), true))
        : Optional.empty();
    Optional<MtaStsOperator.MxCheck> mxCheck = mxCheckInterval.isZero() ? Optional.empty()
        : Optional.of(new MtaStsOperator.MxCheck(new CheckSettings(resolverAddress(),
            Optional.empty(), java.time.Duration.ofSeconds(5), 25, java.time.Duration.ofDays(14)), mxCheckInterval));
    MtaStsOperator operator = new MtaStsOperator(client, new MtaStsOperator.Options(
        settingsOptions.toSettings(spec.commandLine()), namespaceSet, election, healthPort, metricsPort, mxCheck, dnsCheck(),
        dnsUpdate(System::getenv), mxTlsCheck(), reports(System::getenv)).withServerSwitchGrace(serverSwitchGrace),
        new HttpServedPolicyCheck(), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.close();
      stopped.countDown();
    }, "shutdown"));
    operator.start();
    stopped.await();
    return 0;
  }
}
