{{/* Chart name, overridable. */}}
{{- define "meshcp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name: the release name, with the chart name unless the release already contains it. */}}
{{- define "meshcp.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "meshcp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshcp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "meshcp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "meshcp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "meshcp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "meshcp.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "meshcp.secretName" -}}
{{- default (include "meshcp.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* More than one pod at any time: tokens and, later, swarms must then be shared. */}}
{{- define "meshcp.multiReplica" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/* The URL players open the tracker at; empty when the application should derive it. */}}
{{- define "meshcp.signalingPublicUrl" -}}
{{- if .Values.signaling.publicUrl }}
{{- .Values.signaling.publicUrl }}
{{- else if .Values.ingress.enabled }}
{{- printf "%s://%s/v1/signal" (ternary "wss" "ws" (not (empty .Values.ingress.tls))) (first .Values.ingress.hosts) }}
{{- end }}
{{- end }}

{{/* The host names players reach the application by (meshcp.http.public-hosts): the Ingress hosts and
publicHosts. Empty: the application's default, localhost only. */}}
{{- define "meshcp.publicHosts" -}}
{{- $hosts := .Values.publicHosts }}
{{- if .Values.ingress.enabled }}
{{- $hosts = concat .Values.ingress.hosts .Values.publicHosts }}
{{- end }}
{{- join "," (uniq $hosts) }}
{{- end }}

{{/* Stops rendering on values that would only fail later, inside the cluster. */}}
{{- define "meshcp.validate" -}}
{{- if and (include "meshcp.multiReplica" .) (empty .Values.signaling.tokenKeys) }}
{{- fail "signaling.tokenKeys is required with more than one replica or autoscaling: a token signed by one pod must verify on the others" }}
{{- end }}
{{- if and .Values.ingress.enabled (empty .Values.ingress.hosts) }}
{{- fail "ingress.hosts needs at least one host when the Ingress is enabled" }}
{{- end }}
{{- range .Values.signaling.tokenKeys }}
{{- if not (regexMatch "^[A-Za-z0-9_-]{1,16}$" (toString .id)) }}
{{- fail (printf "signaling.tokenKeys: id %q must be 1..16 of [A-Za-z0-9_-]" (toString .id)) }}
{{- end }}
{{- if and (not $.Values.existingSecret) (lt (len (toString (default "" .secret))) 32) }}
{{- fail (printf "signaling.tokenKeys: the secret of %q must be at least 32 characters" .id) }}
{{- end }}
{{- end }}
{{- if and .Values.redis.enabled (not .Values.existingSecret) (empty .Values.redis.url) }}
{{- fail "redis.url is required when redis.enabled is true (or set existingSecret with a redis-url key)" }}
{{- end }}
{{- end }}

{{/* The chart's Secret, by key; empty with existingSecret or when no secret value is set. */}}
{{- define "meshcp.secretData" -}}
{{- if not .Values.existingSecret }}
{{- with .Values.database.password }}
database-password: {{ . | quote }}
{{- end }}
{{- with .Values.database.owner.password }}
database-owner-password: {{ . | quote }}
{{- end }}
{{- if .Values.redis.enabled }}
redis-url: {{ .Values.redis.url | quote }}
{{- end }}
{{- if .Values.bootstrap.tenantName }}
{{- with .Values.bootstrap.ownerPassword }}
bootstrap-owner-password: {{ . | quote }}
{{- end }}
{{- with .Values.bootstrap.secretKey }}
bootstrap-secret-key: {{ . | quote }}
{{- end }}
{{- with .Values.bootstrap.publishableKey }}
bootstrap-publishable-key: {{ . | quote }}
{{- end }}
{{- end }}
{{- range .Values.signaling.tokenKeys }}
signaling-token-key-{{ .id }}: {{ .secret | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* One environment variable read from the release's Secret. */}}
{{- define "meshcp.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "meshcp.secretName" .root }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}
