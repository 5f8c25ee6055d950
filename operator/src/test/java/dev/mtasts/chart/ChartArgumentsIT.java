package dev.mtasts.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.cli.MtaStsCommand;
import dev.mtasts.publication.TxtEncoding;
import dev.mtasts.testing.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The chart's values reach the operator: the Deployment's arguments and environment, as {@code helm template}
 * renders them, are parsed by the real {@code run} command line and give the settings the values file asked for.
 * A renamed flag or environment variable on either side fails here instead of being silently ignored in a cluster.
 */
class ChartArgumentsIT {

  /** {@code ${env:NAME:-fallback}}, the form every environment-backed default of {@code run} takes. */
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+):-(.*)}");
  /** A variable named in run's help that no flag defaults from: MTASTS_REPORT_IMAP_PASSWORD, ... */
  private static final Pattern SECRET_VARIABLE = Pattern.compile("MTASTS_[A-Z0-9_]*(USER|PASSWORD|SECRET)\\b");

  @Test
  void fullValuesBecomeTheOperatorsSettings() {
    CommandLine run = parsedAsThePodRunsIt(container("-f", HelmChartIT.FULL_VALUES.toString()));

    assertThat(value(run, "--namespace")).isEqualTo(List.of("mail", "mail-staging"));
    assertThat(value(run, "--leader-election")).isEqualTo(true);
    assertThat(value(run, "--lease-name")).isEqualTo("mta-sts-operator-leader");
    assertThat(value(run, "--default-issuer")).isEqualTo("letsencrypt-staging");
    assertThat(value(run, "--default-issuer-kind")).isEqualTo("Issuer");
    assertThat(value(run, "--default-ingress-class")).isEqualTo("");
    assertThat(value(run, "--default-ingress-annotation"))
        .isEqualTo(Map.of("nginx.ingress.kubernetes.io/ssl-redirect", "false"));
    assertThat(value(run, "--default-dns-ttl")).isEqualTo(3600L);
    assertThat(value(run, "--default-replicas")).isEqualTo(3);
    assertThat(value(run, "--default-nginx-image")).isEqualTo("registry.example.com/nginx-unprivileged:1.29-alpine");
    assertThat(value(run, "--dns-endpoint-label")).isEqualTo(Map.of("external-dns", "public"));
    assertThat(value(run, "--metrics-port")).isEqualTo(9090);
    assertThat(value(run, "--mx-check-interval")).isEqualTo(Duration.ofMinutes(5));
    assertThat(value(run, "--server-switch-grace")).isEqualTo(Duration.ofMinutes(2));
    assertThat(value(run, "--dns-resolver")).isEqualTo("10.96.0.10:53");
    assertThat(value(run, "--dns-check-interval")).isEqualTo(Duration.ofMinutes(1));
    assertThat(value(run, "--dns-records-at")).isEqualTo("resolver");
    assertThat(value(run, "--dns-publish-timeout")).isEqualTo(Duration.ofMinutes(30));
    assertThat(value(run, "--policy-url-check")).isEqualTo(false);
    assertThat(value(run, "--dns-txt-encoding")).as("the pdns provider wants quoted targets")
        .isEqualTo(TxtEncoding.QUOTED);
    assertThat(value(run, "--dns-publisher")).isEqualTo("external-dns");
    assertThat(value(run, "--mx-tls-check-interval")).isEqualTo(Duration.ofMinutes(30));
    assertThat(value(run, "--report-receiver-port")).isEqualTo(9443);
    assertThat(value(run, "--report-receiver-url"))
        .isEqualTo("http://mta-sts-operator-reports.mta-sts.svc.corp.internal:80");
    assertThat(value(run, "--report-receiver-resolver")).isEqualTo(List.of("10.96.0.10", "10.96.0.11:53"));
    assertThat(value(run, "--report-retention")).isEqualTo(Duration.ofDays(14));
    assertThat(value(run, "--report-daily-limit")).isEqualTo(500);
    assertThat(value(run, "--report-imap-url")).isEqualTo("imaps://imap.example.com:993/TLSRPT");
    assertThat(value(run, "--report-imap-poll-interval")).isEqualTo(Duration.ofMinutes(10));
    assertThat(value(run, "--report-imap-processed-folder")).isEqualTo("TLSRPT/done");
    assertThat(value(run, "--report-imap-refused-folder")).isEqualTo("TLSRPT/refused");
    assertThat(value(run, "--report-imap-ca-file")).isEqualTo("/etc/mta-sts-operator/imap-ca/ca.pem");
  }

  @Test
  void theMailboxLoginComesOnlyFromTheSecretAndItsCaIsMounted() {
    Container container = container("-f", HelmChartIT.FULL_VALUES.toString());
    Deployment deployment = deployment("-f", HelmChartIT.FULL_VALUES.toString());

    for (String variable : List.of("MTASTS_REPORT_IMAP_USER", "MTASTS_REPORT_IMAP_PASSWORD")) {
      assertThat(container.getEnv()).filteredOn(e -> e.getName().equals(variable)).singleElement().satisfies(e -> {
        assertThat(e.getValue()).isNull();
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("tlsrpt-imap");
        assertThat(e.getValueFrom().getSecretKeyRef().getKey())
            .isEqualTo(variable.endsWith("USER") ? "user" : "password");
      });
    }
    assertThat(container.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/etc/mta-sts-operator/imap-ca");
      assertThat(m.getReadOnly()).isTrue();
    });
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getSecret() != null && "imap-ca".equals(v.getSecret().getSecretName())).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getItems()).singleElement()
            .satisfies(item -> assertThat(item.getPath()).isEqualTo("ca.pem")));
  }

  @Test
  void theReceiverUrlDefaultsToItsServiceByItsFullyQualifiedName() {
    CommandLine run = parsedAsThePodRunsIt(container());

    assertThat(value(run, "--report-receiver-port")).isEqualTo(8090);
    // The release "mta-sts" does not contain the chart's name: the full name is mta-sts-mta-sts-operator.
    assertThat(value(run, "--report-receiver-url"))
        .isEqualTo("http://mta-sts-mta-sts-operator-reports." + HelmChartIT.RELEASE_NAMESPACE
            + ".svc.cluster.local:8090");
    assertThat(value(run, "--report-retention")).isEqualTo(Duration.ofDays(31));
    assertThat(value(run, "--report-imap-url")).isEqualTo("");
    assertThat(value(run, "--mx-tls-check-interval")).isEqualTo(Duration.ofHours(1));
    assertThat(value(run, "--server-switch-grace")).isEqualTo(Duration.ofSeconds(5));

    CommandLine off = parsedAsThePodRunsIt(container("--set", "reports.receiver.enabled=false"));
    assertThat(value(off, "--report-receiver-port")).isEqualTo(-1);
    assertThat(value(off, "--report-receiver-url")).isEqualTo("");
  }

  @Test
  void theRfc2136PublisherGetsItsPrimaryAndKeyAndTheSecretOnlyFromTheSecret() {
    Container container = container("--set", "dnsPublisher.type=rfc2136",
        "--set", "dnsPublisher.rfc2136.primary=ns1.example.com:53", "--set", "dnsPublisher.rfc2136.tsigKeyName=mtasts",
        "--set", "dnsPublisher.rfc2136.tsigSecret.name=mtasts-tsig");
    CommandLine run = parsedAsThePodRunsIt(container);

    assertThat(value(run, "--dns-publisher")).isEqualTo("rfc2136");
    assertThat(value(run, "--rfc2136-primary")).isEqualTo("ns1.example.com:53");
    assertThat(value(run, "--rfc2136-tsig-key-name")).isEqualTo("mtasts");
    assertThat(value(run, "--rfc2136-tsig-algorithm")).isEqualTo("hmac-sha256");
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("MTASTS_RFC2136_TSIG_SECRET"))
        .singleElement().satisfies(e -> {
          assertThat(e.getValue()).isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mtasts-tsig");
          assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret");
        });
    assertThat(container.getArgs()).noneMatch(a -> a.contains("secret"));
  }

  @Test
  void withoutAProviderTheTargetsStayPlain() {
    assertThat(value(parsedAsThePodRunsIt(container()), "--dns-txt-encoding")).isEqualTo(TxtEncoding.PLAIN);
    assertThat(value(parsedAsThePodRunsIt(container("--set", "externalDns.provider=aws")), "--dns-txt-encoding"))
        .isEqualTo(TxtEncoding.QUOTED);
    assertThat(value(parsedAsThePodRunsIt(container("--set", "externalDns.provider=aws",
        "--set", "externalDns.txtEncoding=plain")), "--dns-txt-encoding")).isEqualTo(TxtEncoding.PLAIN);
  }

  @Test
  void defaultValuesKeepTheOperatorsDefaults() {
    CommandLine run = parsedAsThePodRunsIt(container());

    assertThat(value(run, "--namespace")).as("empty: every namespace").isIn(null, List.of(), List.of(""));
    assertThat(value(run, "--default-issuer")).isEqualTo("letsencrypt-prod");
    assertThat(value(run, "--default-ingress-class")).isEqualTo("nginx");
    assertThat(value(run, "--health-port")).isEqualTo(8081);
    assertThat(value(run, "--metrics-port")).isEqualTo(8080);
    assertThat(value(run, "--mx-check-interval")).isEqualTo(Duration.ofMinutes(10));
    assertThat(value(run, "--dns-resolver")).isEqualTo("");
    assertThat(value(run, "--dns-check-interval")).isEqualTo(Duration.ofMinutes(5));
    assertThat(value(run, "--dns-records-at")).isEqualTo("authoritative");
    assertThat(value(run, "--dns-publish-timeout")).isEqualTo(Duration.ofMinutes(10));
    assertThat(value(run, "--policy-url-check")).isEqualTo(true);
  }

  @Test
  void everyOperatorVariableTheChartSetsIsOneRunReads() {
    Container container = container("-f", HelmChartIT.FULL_VALUES.toString());
    var read = commandLine().getSubcommands().get("run").getCommandSpec().options().stream()
        .map(OptionSpec::defaultValue)
        .filter(d -> d != null && ENV_DEFAULT.matcher(d).matches())
        .map(d -> { Matcher m = ENV_DEFAULT.matcher(d); m.matches(); return m.group(1); })
        .collect(Collectors.toCollection(TreeSet::new));
    // The secrets (the mailbox login, the TSIG key) are read from the environment by run itself, never as a
    // flag's default (a default shows in --help): those count when run's help names them.
    commandLine().getSubcommands().get("run").getCommandSpec().options().stream()
        .flatMap(o -> java.util.Arrays.stream(o.description()))
        .flatMap(d -> SECRET_VARIABLE.matcher(d).results().map(MatchResult::group))
        .forEach(read::add);

    var set = container.getEnv().stream().map(EnvVar::getName).filter(n -> n.startsWith("MTASTS_"))
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(set).isNotEmpty();
    assertThat(read).containsAll(set);
  }

  /** The operator container of the Deployment helm renders with these extra arguments. */
  private static Container container(String... values) {
    return deployment(values).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Deployment deployment(String... values) {
    Helm.Result rendered = Helm.template(HelmChartIT.RELEASE_NAMESPACE, values);
    assertThat(rendered.exitCode()).as("helm template: %s", rendered.err()).isZero();
    return Helm.documents(rendered.out()).stream()
        .map(document -> (HasMetadata) Serialization.unmarshal(document))
        .filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow();
  }

  /**
   * Parses the container's arguments with the environment it sets (the literal values; the Downward API ones are
   * not the chart's settings) standing in for the pod's environment.
   */
  private static CommandLine parsedAsThePodRunsIt(Container container) {
    Map<String, String> environment = new TreeMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValue() != null) {
        environment.put(variable.getName(), variable.getValue());
      }
    }
    assertThat(container.getArgs()).first().isEqualTo("run");

    CommandLine command = commandLine();
    command.setDefaultValueProvider(argument -> {
      String declared = argument.defaultValue();
      Matcher env = declared == null ? null : ENV_DEFAULT.matcher(declared);
      return env != null && env.matches() ? environment.getOrDefault(env.group(1), env.group(2)) : declared;
    });
    command.parseArgs(container.getArgs().toArray(String[]::new));
    return command.getSubcommands().get("run");
  }

  /** The command line with its declared defaults as written ({@code ${env:...}}), not read from this JVM. */
  private static CommandLine commandLine() {
    CommandLine command = MtaStsCommand.commandLine(Clock.systemUTC(), new ByteArrayInputStream(new byte[0]));
    command.setInterpolateVariables(false);
    return command;
  }

  private static Object value(CommandLine run, String option) {
    return run.getCommandSpec().findOption(option).getValue();
  }
}
