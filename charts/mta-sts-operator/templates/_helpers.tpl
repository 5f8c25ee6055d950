{{/* Names and labels shared by every template. */}}

{{- define "mta-sts-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name alone when it already contains the chart name. */}}
{{- define "mta-sts-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "mta-sts-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mta-sts-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mta-sts-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mta-sts-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "mta-sts-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mta-sts-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: name the existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
How the DNSEndpoint's TXT targets are written: externalDns.txtEncoding if set, else what external-dns's provider
wants (README, "DNS providers": measured for coredns and pdns, read from external-dns's source for the others).
*/}}
{{- define "mta-sts-operator.txtEncoding" -}}
{{- if .Values.externalDns.txtEncoding -}}
{{- .Values.externalDns.txtEncoding -}}
{{- else if has .Values.externalDns.provider (list "pdns" "aws" "google" "cloudflare") -}}
quoted
{{- else -}}
plain
{{- end -}}
{{- end }}

{{/* "true" when the operator keeps TLS-RPT reports: it receives them over HTTPS or reads them from a mailbox. */}}
{{- define "mta-sts-operator.reports" -}}
{{- if or .Values.reports.receiver.enabled .Values.reports.mailbox.url -}}
true
{{- end -}}
{{- end }}

{{/*
Where the policy servers' nginx passes the reports on: reports.receiver.url, or the receiver Service by its fully
qualified name (nginx's resolver knows no search domains).
*/}}
{{- define "mta-sts-operator.reportReceiverUrl" -}}
{{- if .Values.reports.receiver.url -}}
{{- .Values.reports.receiver.url -}}
{{- else -}}
{{- printf "http://%s-reports.%s.svc.cluster.local:%v" (include "mta-sts-operator.fullname" .) .Release.Namespace .Values.reports.receiver.service.port -}}
{{- end -}}
{{- end }}

{{/* "true" when the mailbox's CA comes from a ConfigMap or Secret, mounted under /etc/mta-sts-operator/imap-ca. */}}
{{- define "mta-sts-operator.imapCaVolume" -}}
{{- with .Values.reports.mailbox -}}
{{- if and .url (or .caConfigMap.name .caSecret.name) -}}
true
{{- end -}}
{{- end -}}
{{- end }}

{{/* The mailbox's CA file (--report-imap-ca-file): the mounted key, or reports.mailbox.caFile; empty for the JDK's. */}}
{{- define "mta-sts-operator.imapCaFile" -}}
{{- with .Values.reports.mailbox -}}
{{- if .caConfigMap.name -}}
/etc/mta-sts-operator/imap-ca/{{ .caConfigMap.key }}
{{- else if .caSecret.name -}}
/etc/mta-sts-operator/imap-ca/{{ .caSecret.key }}
{{- else -}}
{{- .caFile -}}
{{- end -}}
{{- end -}}
{{- end }}

{{- define "mta-sts-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The rules on the objects of each MtaStsPolicy, for the ClusterRole or for each watched namespace's Role.
Informers need list and watch; dependents are applied server-side (patch, plus create when the object is new);
nothing is deleted by the operator but expired TLS-RPT reports: owner references let the garbage collector do
the rest. Each publisher gets only its own rule: DNSEndpoints for external-dns, the policies' finalizer for rfc2136.
*/}}
{{- define "mta-sts-operator.policyRules" -}}
- apiGroups: [mtasts.dev]
  resources: [mtastspolicies]
  verbs: [list, watch]
{{- if eq .Values.dnsPublisher.type "rfc2136" }}
# The finalizer that keeps a deleted policy until its records are removed from the primary. JOSDK 5.2.3 adds it
# with a server-side apply of the policy and removes it with a JSON patch (ReconciliationDispatcher): patch only.
# Its re-read of the policy after a conflict (get) is not granted: that attempt fails, and JOSDK's retry starts
# over from the informer cache.
- apiGroups: [mtasts.dev]
  resources: [mtastspolicies]
  verbs: [patch]
{{- end }}
# Conditions, the policy id and the published records are written with a server-side apply of status.
- apiGroups: [mtasts.dev]
  resources: [mtastspolicies/status]
  verbs: [patch]
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [list, watch, create, patch]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, patch]
# A switch of spec.server.mode deletes the server the policy leaves, once its hosts are routed away; the last policy
# leaving a namespace's shared server deletes it (a deleted last policy leaves that to the garbage collector).
- apiGroups: [""]
  resources: [configmaps, services]
  verbs: [delete]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [delete]
# The shared policy server's PodDisruptionBudget: a drain moves its pods one at a time.
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [create, patch, delete]
# The shared policy server's endpoints: each ready pod is probed for a policy before its new id is published.
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
- apiGroups: [networking.k8s.io]
  resources: [ingresses]
  verbs: [list, watch, create, patch]
{{- if .Values.gatewayApi.enabled }}
# A policy switched to a Gateway loses its Ingress once the Gateway accepted its routes.
- apiGroups: [networking.k8s.io]
  resources: [ingresses]
  verbs: [delete]
# Policies exposed through a Gateway: one HTTPRoute per policy host (deleted with its domain, or when the policy
# goes back to an Ingress) and, with the operator's own listeners, one ListenerSet.
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes, listenersets]
  verbs: [list, watch, create, patch, delete]
{{- end }}
- apiGroups: [cert-manager.io]
  resources: [certificates]
  verbs: [list, watch, create, patch]
# Every owned object's owner reference sets blockOwnerDeletion (a policy deleted with foreground propagation waits
# for its objects). Where the OwnerReferencesPermissionEnforcement admission plugin runs (OpenShift enables it),
# setting it needs update on the owner's finalizers; nothing else uses this right.
- apiGroups: [mtasts.dev]
  resources: [mtastspolicies/finalizers]
  verbs: [update]
{{- if include "mta-sts-operator.reports" . }}
# TLS-RPT reports: every replica creates them (a report stored twice is one object: the second create gets a
# conflict), the reconciler's informer lists and watches them, and those past reports.retention are deleted.
- apiGroups: [mtasts.dev]
  resources: [tlsrptreports]
  verbs: [list, watch, create, delete]
{{- end }}
{{- if eq .Values.dnsPublisher.type "external-dns" }}
- apiGroups: [externaldns.k8s.io]
  resources: [dnsendpoints]
  verbs: [list, watch, create, patch]
{{- end }}
# PolicyIdChanged, DomainConflict, MxNotCovered: a repeat is read and its count patched.
- apiGroups: [""]
  resources: [events]
  verbs: [get, create, patch]
{{- end }}
