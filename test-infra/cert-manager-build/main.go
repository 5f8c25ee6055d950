// Command cert-manager-controller runs the cert-manager controllers that the tests of mta-sts-operator need,
// from the controller packages of the Go module github.com/cert-manager/cert-manager, against one API server.
//
// Upstream's own main lives in a module of its own that cannot be fetched here, and its import graph reaches
// the Venafi issuer, whose module cannot be fetched either. This main is written for the tests instead: it
// links only the packages below, so the Venafi, ACME, Vault and shim controllers are not in the binary, and
// it has no leader election, metrics or health servers, webhook or config file.
//
// Built-in controllers (all run unless --controllers names a subset):
//
//	issuers, clusterissuers                         Ready condition of Issuers and ClusterIssuers (CA, SelfSigned)
//	certificates-trigger, -key-manager,
//	-request-manager, -issuing, -readiness,
//	-revision-manager                               the Certificate life cycle
//	certificaterequests-approver                    approves CertificateRequests (nothing is issued unapproved)
//	certificaterequests-issuer-ca, -selfsigned      sign CertificateRequests for CA and SelfSigned issuers
//
// Usage: cert-manager-controller --kubeconfig FILE [--namespace NS] [--cluster-resource-namespace NS] [flags]
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	logsapi "k8s.io/component-base/logs/api/v1"

	controllerpkg "github.com/cert-manager/cert-manager/pkg/controller"
	crapprover "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	crca "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	crselfsigned "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	"github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	"github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	"github.com/cert-manager/cert-manager/pkg/controller/issuers"
	// The issuer implementations the issuers/clusterissuers controllers set up (each registers itself).
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"
)

const (
	name   = "cert-manager-controller"
	module = "github.com/cert-manager/cert-manager"
)

// builtIn lists the controllers linked into this binary, in start order; the packages above register them.
var builtIn = []string{
	issuers.ControllerName,
	clusterissuers.ControllerName,
	trigger.ControllerName,
	keymanager.ControllerName,
	requestmanager.ControllerName,
	issuing.ControllerName,
	readiness.ControllerName,
	revisionmanager.ControllerName,
	crapprover.ControllerName,
	crca.CRControllerName,
	crselfsigned.CRControllerName,
}

type options struct {
	kubeconfig, master         string
	namespace, clusterResNS    string
	controllers                []string
	workers                    int
	qps                        float32
	burst                      int
	ownerRef, leaderElect, ver bool
	logging                    *logsapi.LoggingConfiguration
}

func parseFlags() *options {
	o := &options{logging: logsapi.NewLoggingConfiguration()}
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.StringVar(&o.kubeconfig, "kubeconfig", "", "kubeconfig file of the API server (empty: in-cluster config)")
	fs.StringVar(&o.master, "master", "", "API server address, overrides the kubeconfig's")
	fs.StringVar(&o.namespace, "namespace", "", "watch only this namespace (empty: all); the clusterissuers controller then does not run")
	fs.StringVar(&o.clusterResNS, "cluster-resource-namespace", "kube-system", "namespace of the Secrets that ClusterIssuers refer to")
	fs.StringSliceVar(&o.controllers, "controllers", builtIn, "controllers to run, a subset of the built-in ones")
	fs.IntVar(&o.workers, "workers", 5, "workers per controller")
	fs.Float32Var(&o.qps, "kube-api-qps", 20, "client-side QPS limit (used only when the API server has no priority and fairness)")
	fs.IntVar(&o.burst, "kube-api-burst", 50, "client-side burst limit (as --kube-api-qps)")
	fs.BoolVar(&o.ownerRef, "enable-certificate-owner-ref", false, "make each Certificate the owner of its Secret, so deleting it deletes the Secret")
	fs.BoolVar(&o.leaderElect, "leader-elect", false, "not supported: must stay false (one instance per API server)")
	utilfeature.DefaultMutableFeatureGate.AddFlag(fs) // --feature-gates
	fs.BoolVar(&o.ver, "version", false, "print the cert-manager version this binary is built from and exit")
	logf.AddFlags(o.logging, fs)
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			os.Exit(0)
		}
		fail("flags", err)
	}
	if fs.NArg() > 0 {
		fail("flags", fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	return o
}

func fail(step string, err error) {
	fmt.Fprintf(os.Stderr, "%s: ERROR: %s: %v\n", name, step, err)
	os.Exit(1)
}

// moduleVersion is the version of the cert-manager module linked in, as the build recorded it.
func moduleVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == module {
				if dep.Replace != nil {
					return dep.Replace.Version
				}
				return dep.Version
			}
		}
	}
	return "unknown"
}

func main() {
	o := parseFlags()
	if o.ver {
		fmt.Printf("%s %s (%s, controllers: %s)\n", name, moduleVersion(), module, strings.Join(builtIn, ","))
		return
	}
	if o.leaderElect {
		fail("flags", errors.New("--leader-elect is not supported by this build"))
	}
	for _, c := range o.controllers {
		if !slices.Contains(builtIn, c) {
			fail("flags", fmt.Errorf("--controllers: %q is not built in (built in: %s)", c, strings.Join(builtIn, ",")))
		}
	}
	logf.InitLogs()
	if err := logf.ValidateAndApply(o.logging); err != nil {
		fail("logging flags", err)
	}
	defer logf.FlushLogs()
	if util.AppVersion == "canary" {
		// The user agent and field manager name carry the version; the build script sets it, `go run` does not.
		util.AppVersion = moduleVersion()
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx = logf.NewContext(ctx, logf.Log, "controller")
	log := logf.FromContext(ctx)

	if err := run(ctx, o); err != nil {
		log.Error(err, "exiting")
		logf.FlushLogs()
		os.Exit(1)
	}
}

func run(ctx context.Context, o *options) error {
	log := logf.FromContext(ctx)
	factory, err := controllerpkg.NewContextFactory(ctx, controllerpkg.ContextOptions{
		APIServerHost:      o.master,
		Kubeconfig:         o.kubeconfig,
		KubernetesAPIQPS:   o.qps,
		KubernetesAPIBurst: o.burst,
		Namespace:          o.namespace,
		IssuerOptions: controllerpkg.IssuerOptions{
			ClusterResourceNamespace: o.clusterResNS,
			// What upstream defaults to; only ACME and Vault issuers read them, and they are not built in.
			ClusterIssuerAmbientCredentials: true,
		},
		CertificateOptions: controllerpkg.CertificateOptions{
			EnableOwnerRef: o.ownerRef,
			// Upstream's defaults; the trigger controller backs off this long after a failed request.
			CertificateRequestMinimumBackoffDuration: time.Hour,
			CertificateRequestMaximumBackoffDuration: 32 * time.Hour,
			CopiedAnnotationPrefixes:                 []string{"*", "-kubectl.kubernetes.io/", "-fluxcd.io/", "-argocd.argoproj.io/"},
		},
	})
	if err != nil {
		return fmt.Errorf("connecting to the API server: %w", err)
	}

	// Construct every controller first: each asks the shared informer factories for its informers, which
	// therefore must be started only afterwards.
	known := controllerpkg.Known()
	type started struct {
		name string
		ctrl controllerpkg.Interface
	}
	var ctrls []started
	for _, n := range builtIn {
		if !slices.Contains(o.controllers, n) {
			continue
		}
		if n == clusterissuers.ControllerName && o.namespace != "" {
			log.Info("not starting the clusterissuers controller: scoped to one namespace", "namespace", o.namespace)
			continue
		}
		ctor, ok := known[n]
		if !ok {
			return fmt.Errorf("controller %q did not register itself", n)
		}
		ctrl, err := ctor(factory)
		if err != nil {
			return fmt.Errorf("constructing controller %q: %w", n, err)
		}
		ctrls = append(ctrls, started{n, ctrl})
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(ctrls))
	var wg sync.WaitGroup
	for _, c := range ctrls {
		wg.Go(func() {
			// Run waits for the controller's informers to sync, then blocks until ctx ends.
			if err := c.ctrl.Run(o.workers, ctx); err != nil {
				errs <- fmt.Errorf("controller %q: %w", c.name, err)
			}
		})
	}

	shared, err := factory.Build()
	if err != nil {
		return err
	}
	shared.SharedInformerFactory.Start(ctx.Done())
	shared.KubeSharedInformerFactory.Start(ctx.Done())
	shared.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	shared.GWShared.Start(ctx.Done())
	shared.SharedInformerFactory.WaitForCacheSync(ctx.Done())
	shared.KubeSharedInformerFactory.WaitForCacheSync(ctx.Done())
	if ctx.Err() == nil {
		names := make([]string, len(ctrls))
		for i, c := range ctrls {
			names[i] = c.name
		}
		log.Info("caches synced, controllers running", "version", util.AppVersion, "controllers", strings.Join(names, ","))
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errs:
		cancel()
	}
	wg.Wait()
	log.Info("control loops exited")
	return runErr
}
