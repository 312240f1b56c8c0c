"""deploy/k8s on paper, checked as far as this machine can: the image's command starts the code server (run here with
the installed package, bound to loopback), and the Helm values name that command and the keys the chart requires."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from santa_videos.cluster.services import wait_until
from santa_videos.processes import free_port, stop_process
from santa_videos_tests.conftest import PROJECT_ROOT, subprocess_env

pytestmark = pytest.mark.integration  # starts a code server

K8S = PROJECT_ROOT / "deploy" / "k8s"
BIN = Path(sys.executable).parent
# Required by the chart's values.schema.json (dagster 1.13) for K8sRunLauncherConfig.
K8S_RUN_LAUNCHER_REQUIRED = {"imagePullPolicy", "loadInclusterConfig", "envConfigMaps", "envSecrets", "envVars",
                             "volumeMounts", "volumes"}


def image_command() -> list[str]:
    (cmd,) = re.findall(r"^CMD (\[.*\])$", (K8S / "Dockerfile").read_text(), flags=re.MULTILINE)
    return json.loads(cmd)


def test_the_image_command_starts_the_code_server_of_the_package(tmp_path):
    command = image_command()
    assert command[:3] == ["dagster", "api", "grpc"] and command[-2:] == ["-m", "santa_videos.definitions"]
    port = free_port()
    local = [str(BIN / "dagster"), *command[1:]]
    local[local.index("-h") + 1], local[local.index("-p") + 1] = "127.0.0.1", str(port)
    env = subprocess_env(DAGSTER_HOME=str(tmp_path), SANTA_DATA_DIR=str(tmp_path / "santa"), TMPDIR=str(tmp_path))
    server = subprocess.Popen(local, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def healthy():
            check = subprocess.run([str(BIN / "dagster"), "api", "grpc-health-check", "-p", str(port)],
                                   env=env, capture_output=True)
            return check.returncode == 0

        wait_until(healthy, 120, "the code server", server)
    finally:
        stop_process(server)


def test_the_helm_values_run_that_code_server_with_the_k8s_run_launcher_and_secrets_from_kubernetes():
    values = yaml.safe_load((K8S / "values.yaml").read_text())
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    command = image_command()
    assert deployment["dagsterApiGrpcArgs"] == command[command.index("-m"):]
    assert deployment["port"] == int(command[command.index("-p") + 1])
    launcher = values["runLauncher"]
    assert launcher["type"] == "K8sRunLauncher"
    assert K8S_RUN_LAUNCHER_REQUIRED <= set(launcher["config"]["k8sRunLauncher"])
    # No password in the values: PostgreSQL's comes from the named Secret, the rest from santa-videos-secrets.
    assert "postgresqlPassword" not in values["postgresql"] and values["generatePostgresqlPasswordSecret"] is False
    secrets = {doc["metadata"]["name"] for doc in yaml.safe_load_all((K8S / "santa-videos-config.yaml").read_text())
               if doc["kind"] == "Secret"}
    assert values["global"]["postgresqlSecretName"] in secrets
    for env_from in (deployment, launcher["config"]["k8sRunLauncher"]):
        assert {ref["name"] for ref in env_from["envSecrets"]} <= secrets
