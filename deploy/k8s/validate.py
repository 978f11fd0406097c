#!/usr/bin/env python3
"""Offline checks of rendered Trust Platform manifests (kubectl kustomize output on stdin or in a file).

kubectl's client-side dry run cannot validate without a cluster, so this asserts the rules the platform's
deployment depends on (README "Running on Kubernetes", docs/adr/0009): structure and references, probes,
resources, non-root read-only pods, secrets by reference only, the owner login in the migration Job alone,
default-deny network policies, only the gateway exposed, production settings.

    kubectl kustomize deploy/k8s/overlays/production | python3 deploy/k8s/validate.py
Prints one line per violation and exits 1, or a summary and exits 0.
"""
import re
import sys

import yaml

OWNER_SECRET = "trust-platform-db-owner"
APP_SECRET = "trust-platform-db-app"
GATEWAY = "gateway"
# Object kinds the platform uses, with the API version each must have.
API_VERSIONS = {
    "Namespace": "v1", "ConfigMap": "v1", "Service": "v1", "PersistentVolumeClaim": "v1",
    "Deployment": "apps/v1", "Job": "batch/v1", "PodDisruptionBudget": "policy/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2", "NetworkPolicy": "networking.k8s.io/v1",
    "Ingress": "networking.k8s.io/v1",
}
# Environment names and ConfigMap keys that hold secrets: they may only come from a secretKeyRef.
SECRET_NAME = re.compile(r"(password|secret|signingkey|^evidence__key$|^connectionstrings__|token|credential)", re.IGNORECASE)
# Text that looks like a credential wherever it appears (a connection string's password, a PEM key).
SECRET_TEXT = re.compile(r"(password\s*=\s*[^;<\s]|-----BEGIN [A-Z ]*PRIVATE KEY-----)", re.IGNORECASE)
DNS_PORT = 53


class Checker:
    def __init__(self, documents):
        self.objects = [d for d in documents if d]
        self.errors = []

    def fail(self, obj, message):
        where = f"{obj.get('kind', '?')}/{obj.get('metadata', {}).get('name', '?')}" if isinstance(obj, dict) else str(obj)
        self.errors.append(f"{where}: {message}")

    def of_kind(self, kind):
        return [o for o in self.objects if o.get("kind") == kind]

    @staticmethod
    def name(obj):
        return obj["metadata"]["name"]

    # --- structure ---------------------------------------------------------------------------------------------
    def structure(self):
        seen = set()
        for obj in self.objects:
            if not isinstance(obj, dict) or not obj.get("kind") or not obj.get("apiVersion"):
                self.fail(obj, "every object needs apiVersion and kind")
                continue
            kind = obj["kind"]
            if not obj.get("metadata", {}).get("name"):
                self.fail(obj, "metadata.name is missing")
                continue
            if kind == "Secret":
                self.fail(obj, "Secrets are created by the operator, never rendered from the repository")
            elif kind not in API_VERSIONS:
                self.fail(obj, f"unexpected kind {kind}")
            elif obj["apiVersion"] != API_VERSIONS[kind]:
                self.fail(obj, f"apiVersion {obj['apiVersion']} (expected {API_VERSIONS[kind]})")
            key = (kind, obj["metadata"].get("namespace"), self.name(obj))
            if key in seen:
                self.fail(obj, "defined twice")
            seen.add(key)

    # --- workloads -----------------------------------------------------------------------------------------------
    def workloads(self):
        return self.of_kind("Deployment") + self.of_kind("Job")

    @staticmethod
    def pod_spec(workload):
        return workload.get("spec", {}).get("template", {}).get("spec", {})

    @staticmethod
    def containers(workload, init=True):
        spec = Checker.pod_spec(workload)
        return (spec.get("initContainers", []) if init else []) + spec.get("containers", [])

    def secret_refs(self, workload):
        refs = set()
        for container in self.containers(workload):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    refs.add(ref.get("name"))
            for source in container.get("envFrom", []):
                if "secretRef" in source:
                    refs.add(source["secretRef"].get("name"))
        for volume in self.pod_spec(workload).get("volumes", []):
            if "secret" in volume:
                refs.add(volume["secret"].get("secretName"))
        return refs

    def pods_secure(self, workload):
        spec = self.pod_spec(workload)
        pod_security = spec.get("securityContext", {})
        if pod_security.get("runAsNonRoot") is not True:
            self.fail(workload, "pod securityContext.runAsNonRoot must be true")
        if pod_security.get("runAsUser", 0) == 0:
            self.fail(workload, "pod securityContext.runAsUser must be a non-zero uid")
        if pod_security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            self.fail(workload, "pod seccompProfile must be RuntimeDefault")
        if spec.get("automountServiceAccountToken") is not False:
            self.fail(workload, "automountServiceAccountToken must be false (nothing here calls the Kubernetes API)")
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            self.fail(workload, "host namespaces are not used")
        for container in self.containers(workload):
            security = container.get("securityContext", {})
            label = f"container {container.get('name')}"
            if security.get("allowPrivilegeEscalation") is not False:
                self.fail(workload, f"{label}: allowPrivilegeEscalation must be false")
            if security.get("readOnlyRootFilesystem") is not True:
                self.fail(workload, f"{label}: readOnlyRootFilesystem must be true")
            if "ALL" not in security.get("capabilities", {}).get("drop", []):
                self.fail(workload, f"{label}: capabilities must drop ALL")
            if security.get("privileged"):
                self.fail(workload, f"{label}: privileged")
            image = container.get("image", "")
            tag = image.rsplit("/", 1)[-1].partition(":")[2] if "@" not in image else "digest"
            if not tag or tag == "latest":
                self.fail(workload, f"{label}: image {image!r} needs a release tag or digest")
            resources = container.get("resources", {})
            for kind in ("cpu", "memory"):
                if not resources.get("requests", {}).get(kind):
                    self.fail(workload, f"{label}: resources.requests.{kind} is missing")
            if not resources.get("limits", {}).get("memory"):
                self.fail(workload, f"{label}: resources.limits.memory is missing")

    def literal_secrets(self, workload):
        for container in self.containers(workload):
            for env in container.get("env", []):
                if "value" in env and SECRET_NAME.search(env.get("name", "")):
                    self.fail(workload, f"container {container.get('name')}: {env['name']} has a literal value; use a secretKeyRef")

    def deployments(self):
        config_keys = {k for c in self.of_kind("ConfigMap") for k in (c.get("data") or {})}
        config_names = {self.name(c) for c in self.of_kind("ConfigMap")}
        for deployment in self.of_kind("Deployment"):
            spec = deployment.get("spec", {})
            selector = spec.get("selector", {}).get("matchLabels", {})
            labels = spec.get("template", {}).get("metadata", {}).get("labels", {})
            if not selector or any(labels.get(k) != v for k, v in selector.items()):
                self.fail(deployment, "selector.matchLabels must match the pod template's labels")
            for container in self.containers(deployment, init=False):
                label = f"container {container.get('name')}"
                ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
                probes = {k: container.get(k) for k in ("startupProbe", "livenessProbe", "readinessProbe")}
                for kind, probe in probes.items():
                    if not probe or "httpGet" not in probe:
                        self.fail(deployment, f"{label}: {kind} (httpGet) is missing")
                        continue
                    port = probe["httpGet"].get("port")
                    if port not in ports and port not in ports.values():
                        self.fail(deployment, f"{label}: {kind} port {port!r} is not a container port")
                if probes["livenessProbe"] and probes["livenessProbe"].get("httpGet", {}).get("path") != "/health/live":
                    self.fail(deployment, f"{label}: livenessProbe must be /health/live (a dependency's outage must not restart the pod)")
                ready = (probes["readinessProbe"] or {}).get("httpGet", {}).get("path")
                expected = {"/health/live"} if self.name(deployment) == GATEWAY else {"/health/ready"}
                if ready is not None and ready not in expected:
                    self.fail(deployment, f"{label}: readinessProbe path {ready} (expected {' or '.join(sorted(expected))})")
                for env in container.get("env", []):
                    ref = env.get("valueFrom", {}).get("configMapKeyRef")
                    if ref and not ref.get("optional") and (ref.get("name") not in config_names or ref.get("key") not in config_keys):
                        self.fail(deployment, f"{label}: {env['name']} refers to a missing ConfigMap key {ref.get('name')}/{ref.get('key')}")
            refs = self.secret_refs(deployment)
            if OWNER_SECRET in refs:
                self.fail(deployment, f"a service must never hold the owner login ({OWNER_SECRET})")
            if self.name(deployment) == GATEWAY:
                if refs:
                    self.fail(deployment, f"the gateway holds no secret, found {sorted(refs)}")
            elif APP_SECRET not in refs:
                self.fail(deployment, f"a service connects as the app role ({APP_SECRET})")
            if spec.get("replicas", 1) < 2:
                self.fail(deployment, "at least two replicas, so a disruption budget can be honoured")

    def jobs(self):
        jobs = self.of_kind("Job")
        if not jobs:
            self.errors.append("Job: the migration Job is missing")
        for job in jobs:
            refs = self.secret_refs(job)
            if refs != {OWNER_SECRET}:
                self.fail(job, f"the migration Job holds the owner login and nothing else, found {sorted(refs)}")
            if self.pod_spec(job).get("restartPolicy") not in ("Never", "OnFailure"):
                self.fail(job, "restartPolicy must be Never or OnFailure")
            for container in self.containers(job):
                if container.get("args") != ["migrate"]:
                    self.fail(job, f"container {container.get('name')}: runs the migrate verb (args: [migrate])")
        owners = [self.name(w) for w in self.workloads() if OWNER_SECRET in self.secret_refs(w) and w["kind"] != "Job"]
        if owners:
            self.errors.append(f"only the migration Job may hold {OWNER_SECRET}; also found in {owners}")

    # --- services, budgets, autoscalers, ingress ---------------------------------------------------------------
    def pod_labels(self):
        return [(self.name(w), w.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {}))
                for w in self.workloads()]

    def selects(self, selector):
        return [n for n, labels in self.pod_labels() if selector and all(labels.get(k) == v for k, v in selector.items())]

    def references(self):
        deployments = {self.name(d) for d in self.of_kind("Deployment")}
        services = {self.name(s): s for s in self.of_kind("Service")}
        for service in services.values():
            if not self.selects(service.get("spec", {}).get("selector", {})):
                self.fail(service, "its selector matches no pod")
        for pdb in self.of_kind("PodDisruptionBudget"):
            if not self.selects(pdb.get("spec", {}).get("selector", {}).get("matchLabels", {})):
                self.fail(pdb, "its selector matches no pod")
        budgeted = {n for p in self.of_kind("PodDisruptionBudget") for n in self.selects(p["spec"]["selector"].get("matchLabels", {}))}
        scaled = set()
        for hpa in self.of_kind("HorizontalPodAutoscaler"):
            spec = hpa.get("spec", {})
            target = spec.get("scaleTargetRef", {})
            if target.get("kind") != "Deployment" or target.get("name") not in deployments:
                self.fail(hpa, f"scaleTargetRef {target} is not a Deployment here")
            scaled.add(target.get("name"))
            if not 1 <= spec.get("minReplicas", 1) <= spec.get("maxReplicas", 0):
                self.fail(hpa, "needs 1 <= minReplicas <= maxReplicas")
            if not spec.get("metrics"):
                self.fail(hpa, "needs a metric")
        for name in sorted(deployments - budgeted):
            self.errors.append(f"Deployment/{name}: has no PodDisruptionBudget")
        for name in sorted(deployments - scaled):
            self.errors.append(f"Deployment/{name}: has no HorizontalPodAutoscaler")
        ingresses = self.of_kind("Ingress")
        if not ingresses:
            self.errors.append("Ingress: the gateway's Ingress is missing")
        for ingress in ingresses:
            for rule in ingress.get("spec", {}).get("rules", []):
                if not rule.get("host"):
                    self.fail(ingress, "every rule names its host")
                for path in rule.get("http", {}).get("paths", []):
                    backend = path.get("backend", {}).get("service", {})
                    if backend.get("name") not in (GATEWAY, "console"):
                        self.fail(ingress, f"only the gateway (and the console) are exposed, found {backend.get('name')}")
                    elif backend.get("name") not in services:
                        self.fail(ingress, f"backend service {backend.get('name')} does not exist")
                    else:
                        port = backend.get("port", {})
                        ports = services[backend["name"]]["spec"].get("ports", [])
                        if not any(port.get("name") == p.get("name") or port.get("number") == p.get("port") for p in ports):
                            self.fail(ingress, f"backend port {port} is not a port of Service/{backend['name']}")

    # --- network policies --------------------------------------------------------------------------------------
    def network(self):
        policies = self.of_kind("NetworkPolicy")
        deny = [p for p in policies if p.get("spec", {}).get("podSelector") == {}
                and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
                and not p["spec"].get("ingress") and not p["spec"].get("egress")]
        if not deny:
            self.errors.append("NetworkPolicy: no default deny (podSelector {}, policyTypes Ingress and Egress, no rules)")
        for policy in policies:
            spec = policy.get("spec", {})
            selected = self.selects(spec.get("podSelector", {}).get("matchLabels", {})) if spec.get("podSelector", {}).get("matchLabels") else None
            for rule in spec.get("ingress", []):
                peers = rule.get("from")
                if not peers:
                    self.fail(policy, "an ingress rule without `from` admits everyone")
                    continue
                if not rule.get("ports"):
                    self.fail(policy, "an ingress rule names its ports")
                external = [p for p in peers if "namespaceSelector" in p or "ipBlock" in p]
                if external and spec.get("podSelector", {}).get("matchLabels", {}).get("app.kubernetes.io/name") not in (GATEWAY, "console"):
                    self.fail(policy, "only the gateway (and the console) admit traffic from outside the namespace")
            for rule in spec.get("egress", []):
                if not rule.get("to"):
                    self.fail(policy, "an egress rule without `to` reaches everywhere")
                ports = rule.get("ports")
                if not ports:
                    self.fail(policy, "an egress rule names its ports")
            if selected is not None and not selected:
                self.fail(policy, "its podSelector matches no pod")

    # --- production settings -----------------------------------------------------------------------------------
    def settings(self):
        maps = self.of_kind("ConfigMap")
        data = {k: v for c in maps for k, v in (c.get("data") or {}).items()}
        for config in maps:
            for key in (config.get("data") or {}):
                if SECRET_NAME.search(key):
                    self.fail(config, f"{key} is secret: it belongs in a Secret, referenced by secretKeyRef")
        expected = {"ASPNETCORE_ENVIRONMENT": "Production", "RabbitMq__QuorumQueues": "true", "Database__MigrateOnStartup": "false"}
        for key, value in expected.items():
            if str(data.get(key, "")).lower() != value.lower():
                self.errors.append(f"ConfigMap: {key} must be {value}, found {data.get(key)!r}")
        for key in ("OTEL_EXPORTER_OTLP_ENDPOINT", "RabbitMq__Host", "ApiKeys__PolicyUrl"):
            if not data.get(key):
                self.errors.append(f"ConfigMap: {key} is not set")
        for workload in self.workloads():
            for container in self.containers(workload):
                for env in container.get("env", []):
                    if env.get("name") in ("ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT") and env.get("value") not in (None, "Production"):
                        self.fail(workload, f"{env['name']}={env.get('value')}: Production only")
                    if env.get("name", "").startswith("Clock__"):
                        self.fail(workload, f"{env['name']}: the clock override is for tests and demos only")

    def text(self):
        def walk(node, obj):
            if isinstance(node, dict):
                for value in node.values():
                    walk(value, obj)
            elif isinstance(node, list):
                for value in node:
                    walk(value, obj)
            elif isinstance(node, str) and SECRET_TEXT.search(node):
                self.fail(obj, "contains what looks like a credential")
        for obj in self.objects:
            walk(obj, obj)

    def run(self):
        self.structure()
        for workload in self.workloads():
            self.pods_secure(workload)
            self.literal_secrets(workload)
        self.deployments()
        self.jobs()
        self.references()
        self.network()
        self.settings()
        self.text()
        return self.errors


def check_compose(compose):
    """deploy/compose.yaml: the same credential rules on one host (the schema itself is dclint's, tools/compose)."""
    errors = []
    services = compose.get("services", {})
    platform = {n: s for n, s in services.items() if str(s.get("image", "")).startswith("trust-platform/")}
    for name, service in services.items():
        env = service.get("environment", {}) or {}
        if isinstance(env, list):
            env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
        for key, value in env.items():
            value = "" if value is None else str(value)
            if SECRET_NAME.search(key) and value and not value.startswith("${") and "Password=${" not in value:
                errors.append(f"compose {name}: {key} has a literal value; take it from the env file (${{...}})")
            if re.search(r"password=(?!\$\{)", value, re.IGNORECASE):
                errors.append(f"compose {name}: {key} holds a literal password")
        if "ConnectionStrings__Owner" in env and not name.startswith("migrate-"):
            errors.append(f"compose {name}: only the migrate-* jobs hold the owner login")
        if name.startswith("migrate-") and set(k for k in env if SECRET_NAME.search(k)) != {"ConnectionStrings__Owner"}:
            errors.append(f"compose {name}: a migration job holds the owner login and nothing else")
        if service.get("ports") and name != "gateway":
            errors.append(f"compose {name}: only the gateway publishes a port")
        for dependency in (service.get("depends_on") or {}):
            if dependency not in services:
                errors.append(f"compose {name}: depends on {dependency}, which is not a service")
    for name, service in platform.items():
        if service.get("read_only") is not True or "ALL" not in (service.get("cap_drop") or []):
            errors.append(f"compose {name}: read_only: true and cap_drop: [ALL]")
        env = service.get("environment", {}) or {}
        if env.get("ASPNETCORE_ENVIRONMENT") != "Production":
            errors.append(f"compose {name}: ASPNETCORE_ENVIRONMENT must be Production")
        if not name.startswith("migrate-") and name != "gateway" and "ConnectionStrings__App" not in env:
            errors.append(f"compose {name}: a service connects as the app role")
    if "gateway" not in platform:
        errors.append("compose: the gateway is missing")
    return errors


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--compose":
        with open(sys.argv[2], encoding="utf-8") as source:
            errors = check_compose(yaml.safe_load(source))
        for error in errors:
            print(f"[compose] {error}", file=sys.stderr)
        if not errors:
            print(f"[compose] valid: {sys.argv[2]}")
        return 1 if errors else 0
    source = open(sys.argv[1], encoding="utf-8") if len(sys.argv) > 1 else sys.stdin
    documents = list(yaml.safe_load_all(source))
    errors = Checker(documents).run()
    for error in errors:
        print(f"[k8s] {error}", file=sys.stderr)
    if errors:
        print(f"[k8s] {len(errors)} violation(s)", file=sys.stderr)
        return 1
    kinds = {}
    for d in documents:
        if d:
            kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    print("[k8s] valid: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
