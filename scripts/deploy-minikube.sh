#!/usr/bin/env bash
# Builds the image into a local cluster, applies the dev install (install/dev.yaml,
# the rendered dev overlay), waits for the rollout, prints a URL that works for
# the driver in use and calls /hello on it.
# Usage: scripts/deploy-minikube.sh [minikube|kind]   (default: minikube when installed)
#   kind: KIND_CLUSTER names the cluster (default "kind").
set -euo pipefail
cd "$(dirname "$0")/.."

cluster=${1:-$(command -v minikube >/dev/null && echo minikube || echo kind)}
# The tag the dev overlay runs, with imagePullPolicy Never: it must be built locally.
image=passenger-api:dev
namespace=passenger-api

case "$cluster" in
  minikube) minikube image build -t "$image" . ;;
  kind)
    docker build -t "$image" .
    kind load docker-image "$image" --name "${KIND_CLUSTER:-kind}"
    ;;
  *) echo "usage: $0 [minikube|kind]" >&2; exit 2 ;;
esac

# A re-deploy of the same tag needs new pods to pick up the rebuilt image; a
# first deploy creates them from it already, so restarting would only double the wait.
redeploy=false
kubectl -n "$namespace" get deployment passenger-api -o name >/dev/null 2>&1 && redeploy=true
kubectl apply -f install/dev.yaml
kubectl -n "$namespace" rollout status statefulset/postgres --timeout=300s
if [ "$redeploy" = true ]; then kubectl -n "$namespace" rollout restart deployment/passenger-api; fi
kubectl -n "$namespace" rollout status deployment/passenger-api --timeout=300s

case "$cluster" in
  minikube)
    # `minikube service --url` prints a URL that works for the driver in use: the
    # NodePort on the node's IP, or (docker driver on macOS/Windows, where the
    # node's IP is not reachable) a tunnel that lives as long as the command runs.
    url_log=$(mktemp)
    minikube -n "$namespace" service passenger-api --url >"$url_log" 2>&1 &
    service_pid=$!
    trap 'kill "$service_pid" 2>/dev/null || true; rm -f "$url_log"' EXIT
    url=
    for _ in $(seq 1 60); do
      # Liveness first: once it has exited, its whole output is in the log.
      running=true
      kill -0 "$service_pid" 2>/dev/null || running=false
      url=$(grep -m1 -oE 'http://[^[:space:]]+' "$url_log" || true)
      { [ -n "$url" ] || [ "$running" = false ]; } && break
      sleep 1
    done
    [ -n "$url" ] || { cat "$url_log" >&2; echo "minikube service --url printed no URL" >&2; exit 1; }
    # Without a tunnel the command exits once it has printed the URL.
    tunnel=false
    for _ in 1 2 3; do
      kill -0 "$service_pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$service_pid" 2>/dev/null && tunnel=true
    ;;
  kind)
    node_port=$(kubectl -n "$namespace" get service passenger-api -o jsonpath='{.spec.ports[0].nodePort}')
    node_ip=$(kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
    url="http://$node_ip:$node_port"
    tunnel=false
    ;;
esac
echo "passenger-api (dev) is at $url"
echo "+ curl $url/hello"
curl -fsS --retry 5 --retry-connrefused --retry-delay 2 "$url/hello"
echo
if [ "$tunnel" = true ]; then
  echo "this driver reaches the NodePort through a tunnel: keep \`minikube -n $namespace service passenger-api --url\` running in another terminal to use the URL"
fi
