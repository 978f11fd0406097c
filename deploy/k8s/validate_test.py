#!/usr/bin/env python3
"""The offline checks must catch what they claim to: each test breaks one rule in the rendered production manifests
and expects validate.py to name it (and the unbroken render to pass).

    python3 deploy/k8s/validate_test.py <rendered.yaml>
"""
import copy
import os
import sys
import unittest

import yaml

from validate import Checker, check_compose

COMPOSE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "compose.yaml")

RENDERED = []


def find(documents, kind, name):
    return next(d for d in documents if d["kind"] == kind and d["metadata"]["name"] == name)


def container(documents, name):
    return find(documents, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]


class ValidateTests(unittest.TestCase):
    def check(self, mutate):
        documents = copy.deepcopy(RENDERED)
        mutate(documents)
        return "\n".join(Checker(documents).run())

    def assertCaught(self, mutate, expected):
        self.assertIn(expected, self.check(mutate))

    def test_the_production_render_passes(self):
        self.assertEqual("", self.check(lambda d: None))

    def test_a_deployment_without_a_readiness_probe_is_refused(self):
        self.assertCaught(lambda d: container(d, "accounts").pop("readinessProbe"), "readinessProbe (httpGet) is missing")

    def test_a_liveness_probe_on_the_readiness_endpoint_is_refused(self):
        self.assertCaught(lambda d: container(d, "policy")["livenessProbe"]["httpGet"].update(path="/health/ready"),
                          "livenessProbe must be /health/live")

    def test_a_container_without_a_memory_limit_is_refused(self):
        self.assertCaught(lambda d: container(d, "training")["resources"].pop("limits"), "resources.limits.memory is missing")

    def test_a_container_running_as_root_is_refused(self):
        self.assertCaught(lambda d: find(d, "Deployment", "incidents")["spec"]["template"]["spec"]["securityContext"].update(runAsUser=0),
                          "runAsUser must be a non-zero uid")

    def test_a_writable_root_filesystem_is_refused(self):
        self.assertCaught(lambda d: container(d, "gateway")["securityContext"].update(readOnlyRootFilesystem=False),
                          "readOnlyRootFilesystem must be true")

    def test_a_literal_password_in_the_environment_is_refused(self):
        self.assertCaught(lambda d: container(d, "policy")["env"].append({"name": "RabbitMq__Password", "value": "hunter2"}),
                          "RabbitMq__Password has a literal value")

    def test_a_connection_string_with_its_password_anywhere_is_refused(self):
        self.assertCaught(lambda d: find(d, "ConfigMap", "trust-platform-config")["data"].update(Notes="Host=db;Password=hunter2"),
                          "contains what looks like a credential")

    def test_a_rendered_secret_is_refused(self):
        self.assertCaught(lambda d: d.append({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"a": "b"}}),
                          "Secrets are created by the operator")

    def test_a_service_holding_the_owner_login_is_refused(self):
        self.assertCaught(lambda d: container(d, "accounts")["env"].append(
            {"name": "ConnectionStrings__Owner", "valueFrom": {"secretKeyRef": {"name": "trust-platform-db-owner", "key": "connection-string"}}}),
            "a service must never hold the owner login")

    def test_a_migration_job_with_the_app_login_is_refused(self):
        def mutate(d):
            job = find(d, "Job", "trust-platform-migrate")["spec"]["template"]["spec"]["containers"][0]
            job["env"].append({"name": "ConnectionStrings__App", "valueFrom": {"secretKeyRef": {"name": "trust-platform-db-app", "key": "connection-string"}}})
        self.assertCaught(mutate, "the migration Job holds the owner login and nothing else")

    def test_a_missing_default_deny_is_refused(self):
        self.assertCaught(lambda d: d.remove(find(d, "NetworkPolicy", "default-deny-all")), "no default deny")

    def test_a_service_admitting_traffic_from_another_namespace_is_refused(self):
        def mutate(d):
            rule = find(d, "NetworkPolicy", "services-ingress-from-gateway")["spec"]["ingress"][0]
            rule["from"].append({"namespaceSelector": {}})
        self.assertCaught(mutate, "only the gateway (and the console) admit traffic from outside the namespace")

    def test_an_egress_rule_to_everywhere_is_refused(self):
        self.assertCaught(lambda d: find(d, "NetworkPolicy", "gateway-egress-services")["spec"]["egress"].append({}),
                          "an egress rule without `to` reaches everywhere")

    def test_an_ingress_to_a_service_other_than_the_gateway_is_refused(self):
        def mutate(d):
            path = find(d, "Ingress", "trust-platform")["spec"]["rules"][0]["http"]["paths"][0]
            path["backend"]["service"]["name"] = "incidents"
        self.assertCaught(mutate, "only the gateway (and the console) are exposed")

    def test_classic_queues_in_production_are_refused(self):
        self.assertCaught(lambda d: find(d, "ConfigMap", "trust-platform-config")["data"].update(RabbitMq__QuorumQueues="false"),
                          "RabbitMq__QuorumQueues must be true")

    def test_the_development_environment_is_refused(self):
        self.assertCaught(lambda d: find(d, "ConfigMap", "trust-platform-config")["data"].update(ASPNETCORE_ENVIRONMENT="Development"),
                          "ASPNETCORE_ENVIRONMENT must be Production")

    def test_a_deployment_without_a_disruption_budget_is_refused(self):
        self.assertCaught(lambda d: d.remove(find(d, "PodDisruptionBudget", "training")), "Deployment/training: has no PodDisruptionBudget")

    def test_an_autoscaler_aimed_at_nothing_is_refused(self):
        self.assertCaught(lambda d: find(d, "HorizontalPodAutoscaler", "policy")["spec"]["scaleTargetRef"].update(name="polcy"),
                          "is not a Deployment here")

    def test_an_untagged_image_is_refused(self):
        self.assertCaught(lambda d: container(d, "policy").update(image="registry.example.org/trust-platform/policy"),
                          "needs a release tag or digest")


class ComposeTests(unittest.TestCase):
    def check(self, mutate):
        with open(COMPOSE, encoding="utf-8") as source:
            compose = yaml.safe_load(source)
        mutate(compose["services"])
        return "\n".join(check_compose(compose))

    def test_the_compose_file_passes(self):
        self.assertEqual("", self.check(lambda s: None))

    def test_a_service_with_the_owner_login_is_refused(self):
        self.assertIn("only the migrate-* jobs hold the owner login",
                      self.check(lambda s: s["training"]["environment"].update(ConnectionStrings__Owner="${TP_PG_OWNER_PASSWORD}")))

    def test_a_literal_password_is_refused(self):
        self.assertIn("holds a literal password",
                      self.check(lambda s: s["policy"]["environment"].update(ConnectionStrings__App="Host=postgres;Password=hunter2")))

    def test_a_service_publishing_a_port_is_refused(self):
        self.assertIn("only the gateway publishes a port", self.check(lambda s: s["incidents"].update(ports=["5103:8080"])))


if __name__ == "__main__":
    with open(sys.argv.pop(1), encoding="utf-8") as source:
        RENDERED.extend(d for d in yaml.safe_load_all(source) if d)
    unittest.main(verbosity=1)
