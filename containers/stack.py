"""Daftari in containers: three Galera nodes behind HAProxy and the app, run by podman-compose.

    python3 containers/stack.py up      # install what is missing, build, start, wait, print the URL
    python3 containers/stack.py status  # each node's state and the app's health
    python3 containers/stack.py down    # stop and remove the containers (--volumes: the data too)

Runs as root on Debian (podman, runc and debootstrap come from apt). Podman reads containers/containers.conf,
never /etc/containers. Generated passwords and podman-compose live under .data/containers/.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STATE = ROOT / ".data" / "containers"
ENV_FILE = STATE / "daftari.env"  # the accounts' passwords, made on the first `up` (mode 0600)
BUILD_LOG = STATE / "build.log"
COMPOSE_FILE = HERE / "compose.yaml"
COMPOSE_VENV = STATE / "venv"
PODMAN_COMPOSE = "podman-compose==1.6.0"  # `podman compose` does not exist in podman 4.3
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
HOST_PACKAGES = ("podman", "runc", "netavark", "aardvark-dns", "catatonit", "debootstrap")

BASE_IMAGE = "localhost/local/debian:12"  # made here with debootstrap: no registry needs to answer
GALERA_IMAGE = "localhost/local/daftari-galera:latest"
HAPROXY_IMAGE = "localhost/local/daftari-haproxy:latest"
APP_IMAGE = "localhost/local/daftari-app:latest"
NODES = ("daftari-db1", "daftari-db2", "daftari-db3")
HAPROXY = "daftari-haproxy"
APP = "daftari-app"
# Published on 127.0.0.1 only (compose.yaml); clear of the private cluster's 3400-3413, 9201-9203 and 8501.
APP_URL = "http://127.0.0.1:18501"
WRITE_PORT = 13306
READ_PORT = 13307
DATABASE = "daftari"
APP_ACCOUNT = "daftari_app"
ADMIN_ACCOUNT = "daftari_admin"
WAIT_SECONDS = 300


class StackError(Exception):
    """Something the operator has to see: a missing tool, a failed build, a cluster that did not come up."""


def podman_env() -> dict:
    """The environment for podman and podman-compose: our containers.conf instead of /etc's."""
    return {**os.environ, "CONTAINERS_CONF": str(HERE / "containers.conf")}


def podman(*args: str, check: bool = True, timeout: float | None = 120, **kwargs) -> subprocess.CompletedProcess:
    """Run podman with our containers.conf; its output captured as text."""
    return subprocess.run(
        ["podman", *args], env=podman_env(), capture_output=True, text=True, check=check, timeout=timeout, **kwargs
    )


def credentials() -> dict[str, str]:
    """The env file's variables (MYSQL_USER, MYSQL_PASSWORD, MYSQL_ADMIN_USER, …)."""
    pairs = (line.split("=", 1) for line in ENV_FILE.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def node_status(container: str) -> dict[str, str]:
    """A node's wsrep status (wsrep_local_state_comment, wsrep_cluster_size, …) as root over its socket; {} when
    the container or its server is not running."""
    query = "SHOW GLOBAL STATUS WHERE Variable_name LIKE 'wsrep_%'"
    try:
        done = podman("exec", container, "mariadb", "-N", "-B", "-e", query, check=False, timeout=15)
    except subprocess.TimeoutExpired:
        return {}
    if done.returncode != 0:
        return {}
    return dict(line.split("\t", 1) for line in done.stdout.splitlines() if "\t" in line)


def node_synced(container: str, size: int = len(NODES)) -> bool:
    """Whether the node is Synced in a primary component of `size` nodes."""
    status = node_status(container)
    return (
        status.get("wsrep_local_state_comment") == "Synced"
        and status.get("wsrep_cluster_status") == "Primary"
        and status.get("wsrep_cluster_size") == str(size)
    )


def app_healthy() -> bool:
    """Whether Streamlit answers ok on /_stcore/health through the published port."""
    try:
        with urllib.request.urlopen(f"{APP_URL}/_stcore/health", timeout=3) as reply:
            return reply.status == 200 and reply.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def last_lines(container: str, count: int = 25) -> str:
    """The last lines a container wrote (its stdout and stderr)."""
    done = podman("logs", "--tail", str(count), container, check=False)
    return done.stdout + done.stderr


def app_ready() -> bool:
    """app_healthy(); StackError with its last lines when the app's container has stopped."""
    if app_healthy():
        return True
    state = podman("container", "inspect", "--format", "{{.State.Status}}", APP, check=False).stdout.strip()
    if state in ("exited", "stopped"):
        raise StackError(f"the app's container stopped:\n{last_lines(APP)}")
    return False


def wait_for(what: str, ready, seconds: float = WAIT_SECONDS, logs_of: tuple[str, ...] = ()) -> float:
    """Wait until ready() is true; the seconds it took. StackError, with the last log lines, after `seconds`."""
    start = time.monotonic()
    while not ready():
        if time.monotonic() - start > seconds:
            tails = [f"--- podman logs {c}\n{last_lines(c)}" for c in logs_of]
            raise StackError(f"{what}: not ready after {seconds:.0f} s\n" + "\n".join(tails))
        time.sleep(1)
    return time.monotonic() - start


# --- what the host needs ---------------------------------------------------------------------------------------


def apt_install(*packages: str) -> None:
    """Install Debian packages (as root: this script is for a machine of its own)."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise StackError(f"please install {' '.join(packages)} (e.g. apt-get install -y {' '.join(packages)})")
    print(f"installing {' '.join(packages)} with apt-get …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def deb_installed(package: str) -> bool:
    """Whether dpkg has the package installed."""
    query = ["dpkg-query", "-W", "-f", "${Status}", package]
    return subprocess.run(query, capture_output=True, text=True).stdout.endswith("ok installed")


def ensure_host_tools() -> None:
    """podman and runc (crun fails on cgroups in hybrid mode), netavark and aardvark-dns (the containers find each
    other by name), catatonit (`init: true`) and debootstrap (the base image): each a package of its own, some
    only recommended by podman's."""
    if shutil.which("dpkg-query"):
        missing = [package for package in HOST_PACKAGES if not deb_installed(package)]
    else:
        missing = [tool for tool in ("podman", "runc", "debootstrap") if not shutil.which(tool)]
    if missing:
        apt_install(*missing)


def podman_compose() -> Path:
    """podman-compose from PyPI in a venv of its own under .data/containers, made on first use."""
    program = COMPOSE_VENV / "bin" / "podman-compose"
    if program.exists():
        return program
    if subprocess.run([sys.executable, "-m", "venv", str(COMPOSE_VENV)], capture_output=True).returncode != 0:
        shutil.rmtree(COMPOSE_VENV, ignore_errors=True)
        apt_install("python3-venv")  # Debian's python3 has no ensurepip without it
        subprocess.run([sys.executable, "-m", "venv", str(COMPOSE_VENV)], check=True)
    done = subprocess.run(
        [str(COMPOSE_VENV / "bin" / "pip"), "install", PODMAN_COMPOSE], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise StackError(f"pip install {PODMAN_COMPOSE} failed:\n{done.stdout}{done.stderr}")
    return program


def debian_mirror() -> str:
    """The host's Debian mirror (from /etc/apt/sources.list*), else deb.debian.org."""
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for path in sources:
        try:
            text = path.read_text()
        except OSError:
            continue
        # one-line format: deb [options] URI suite …; deb822: URIs: URI
        for uri in re.findall(r"^\s*(?:deb(?:\s+\[[^\]]*\])?|URIs:)\s+(\S+)", text, re.MULTILINE):
            if uri.rstrip("/").endswith("/debian"):
                return uri
    return "http://deb.debian.org/debian"


def ensure_base_image() -> None:
    """local/debian:12, made with debootstrap (minbase) when podman does not have it."""
    if podman("image", "exists", BASE_IMAGE, check=False).returncode == 0:
        return
    mirror = debian_mirror()
    print(f"making {BASE_IMAGE} with debootstrap from {mirror} …", flush=True)
    STATE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=STATE) as scratch:
        rootfs = Path(scratch) / "rootfs"
        with BUILD_LOG.open("a") as log:
            subprocess.run(
                ["debootstrap", "--variant=minbase", "bookworm", str(rootfs), mirror],
                check=True,
                stdout=log,
                stderr=log,
            )
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        podman("import", "-", BASE_IMAGE, stdin=tar.stdout, timeout=600)
        tar.wait()


# --- images ----------------------------------------------------------------------------------------------------


def app_context() -> Path:
    """The app image's build context: the working tree's files that git does not ignore (so no .venv or .data),
    and the host's CA bundle, which pip inside the build verifies PyPI with."""
    context = STATE / "app-context"
    shutil.rmtree(context, ignore_errors=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        # The tests are not part of the app; a file listed but deleted in the working tree is left out.
        if not name.startswith("tests/") and source.is_file():
            (context / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, context / name)
    shutil.copy2(CA_BUNDLE, context / "host-ca.crt")
    return context


def build(image: str, dockerfile: str, context: Path) -> float:
    """podman build (layers cached), its output appended to build.log; the seconds it took."""
    start = time.monotonic()
    with BUILD_LOG.open("a") as log:
        log.write(f"\n=== {image} ({dockerfile})\n")
        log.flush()
        done = subprocess.run(
            ["podman", "build", "-t", image, "-f", str(HERE / dockerfile), str(context)],
            env=podman_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        tail = "".join(BUILD_LOG.read_text().splitlines(keepends=True)[-30:])
        raise StackError(f"building {image} failed (all of it in {BUILD_LOG}):\n{tail}")
    seconds = time.monotonic() - start
    print(f"built {image} in {seconds:.1f} s", flush=True)
    return seconds


def image_id(image: str) -> str:
    """The image's id ('' when podman has none of that name)."""
    return podman("image", "inspect", "--format", "{{.Id}}", image, check=False).stdout.strip()


def build_images() -> dict[str, str]:
    """The base image if missing, then the node, HAProxy and app images (unchanged layers come from the cache).
    Returns the ids the names had before, for remove_old_images()."""
    ensure_base_image()
    before = {image: image_id(image) for image in (GALERA_IMAGE, HAPROXY_IMAGE, APP_IMAGE)}
    build(GALERA_IMAGE, "Dockerfile.galera", HERE)
    build(HAPROXY_IMAGE, "Dockerfile.haproxy", HERE)
    build(APP_IMAGE, "Dockerfile.app", app_context())
    return before


def remove_old_images(before: dict[str, str]) -> None:
    """Remove our images that a new build replaced (each app build is about 1 GB); podman keeps one that a
    container still uses."""
    for image, old in before.items():
        if old and old != image_id(image):
            podman("rmi", old, check=False)


def remove_stale_containers() -> list[str]:
    """Remove the containers made from an older build of their image, so `up` makes them anew from the new one
    (podman-compose would start the old ones again). Nodes go one by one, node 1 last; their data stays."""
    removed = []
    images = {APP: APP_IMAGE, HAPROXY: HAPROXY_IMAGE, **dict.fromkeys(reversed(NODES), GALERA_IMAGE)}
    for container, image in images.items():
        used = podman("container", "inspect", "--format", "{{.Image}}", container, check=False).stdout.strip()
        if used and used != image_id(image):
            podman("stop", "-t", "30", container, timeout=60)
            podman("rm", container)
            removed.append(container)
    return removed


def ensure_env_file() -> None:
    """The accounts' names and generated passwords, for node 1's first start and the app (kept across `down`:
    the data volumes hold accounts made with them)."""
    STATE.mkdir(parents=True, exist_ok=True)
    os.chmod(STATE, 0o700)
    if ENV_FILE.exists():
        return
    lines = [
        f"MYSQL_DATABASE={DATABASE}",
        f"MYSQL_USER={APP_ACCOUNT}",
        f"MYSQL_PASSWORD={secrets.token_urlsafe(24)}",
        f"MYSQL_ADMIN_USER={ADMIN_ACCOUNT}",
        f"MYSQL_ADMIN_PASSWORD={secrets.token_urlsafe(24)}",
    ]
    fd = os.open(ENV_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(lines) + "\n")


# --- the commands ----------------------------------------------------------------------------------------------


def compose(*args: str) -> None:
    """podman-compose on compose.yaml; its output to build.log, shown when it fails."""
    with BUILD_LOG.open("a") as log:
        log.write(f"\n=== podman-compose {' '.join(args)}\n")
        log.flush()
        done = subprocess.run(
            [str(podman_compose()), "-f", str(COMPOSE_FILE), *args],
            env=podman_env(),
            cwd=HERE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        tail = "".join(BUILD_LOG.read_text().splitlines(keepends=True)[-30:])
        raise StackError(f"podman-compose {' '.join(args)} failed:\n{tail}")


def up() -> None:
    """Everything from a fresh machine to a running, synced stack; prints where the app is."""
    start = time.monotonic()
    ensure_host_tools()
    ensure_env_file()
    replaced_images = build_images()
    built = time.monotonic()
    if replaced := remove_stale_containers():
        print(f"made anew from their new image: {', '.join(replaced)}", flush=True)
    # The cluster first: node 1 is the donor of the first state transfers, and HAProxy cuts its sessions while
    # it is (a migration cut there would leave its lock row behind for 30 minutes).
    compose("up", "-d", "db1", "db2", "db3", "haproxy")
    synced = wait_for("three Synced nodes", lambda: all(node_synced(n) for n in NODES), logs_of=NODES)
    print(f"three nodes Synced after {synced:.1f} s", flush=True)
    compose("up", "-d", "app")
    healthy = wait_for("the app's /_stcore/health", app_ready, logs_of=(APP, HAPROXY))
    print(f"app healthy {healthy:.1f} s later", flush=True)
    remove_old_images(replaced_images)
    print(
        f"Daftari is up in {time.monotonic() - start:.0f} s (images {built - start:.0f} s): {APP_URL}\n"
        f"  MariaDB through HAProxy: writes 127.0.0.1:{WRITE_PORT}, reads 127.0.0.1:{READ_PORT} "
        f"(accounts in {ENV_FILE.relative_to(ROOT)})"
    )


def down(volumes: bool = False) -> None:
    """Stop the app, HAProxy, then nodes 3, 2 and 1 (node 1 last, so it may start the cluster again), and remove
    the containers; with volumes, the nodes' data and the env file's passwords too."""
    for container in (APP, HAPROXY, *reversed(NODES)):
        podman("stop", "-t", "30", container, check=False)
    compose("down", *(["--volumes"] if volumes else []))
    if volumes:
        ENV_FILE.unlink(missing_ok=True)
    print("Daftari's containers are removed" + (", with their data" if volumes else "; the data volumes are kept"))


def status() -> bool:
    """Print each node's state and the app's health; whether all is well."""
    well = True
    for node in NODES:
        state = node_status(node)
        line = f"{state.get('wsrep_local_state_comment')}, cluster of {state.get('wsrep_cluster_size')}"
        print(f"{node}: {line if state else 'not running'}")
        well = well and node_synced(node)
    healthy = app_healthy()
    print(f"{APP}: {'healthy at ' + APP_URL if healthy else 'not answering'}")
    return well and healthy


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status says whether it worked."""
    parser = argparse.ArgumentParser(prog="containers/stack.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="build what is missing or changed, start, wait until synced and healthy")
    sub.add_parser("status", help="each node's state and the app's health")
    stop = sub.add_parser("down", help="stop and remove the containers")
    stop.add_argument("--volumes", action="store_true", help="remove the nodes' data and the passwords too")
    args = parser.parse_args(argv)
    try:
        if args.command == "up":
            up()
        elif args.command == "down":
            down(volumes=args.volumes)
        else:
            return 0 if status() else 1
    except (StackError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
