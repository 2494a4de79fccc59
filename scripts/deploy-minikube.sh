#!/usr/bin/env bash
# Builds the image into a local cluster, applies the dev install (install/dev.yaml,
# the rendered dev overlay), waits for the rollout, prints the NodePort URL and
# calls /hello on it.
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

kubectl apply -f install/dev.yaml
kubectl -n "$namespace" rollout status statefulset/postgres --timeout=300s
# A re-deploy of the same tag needs new pods to pick up the rebuilt image.
kubectl -n "$namespace" rollout restart deployment/passenger-api
kubectl -n "$namespace" rollout status deployment/passenger-api --timeout=300s

node_port=$(kubectl -n "$namespace" get service passenger-api -o jsonpath='{.spec.ports[0].nodePort}')
case "$cluster" in
  minikube) node_ip=$(minikube ip) ;;
  kind) node_ip=$(kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}') ;;
esac
url="http://$node_ip:$node_port"
echo "passenger-api (dev) is at $url"
echo "+ curl $url/hello"
curl -fsS --retry 5 --retry-connrefused --retry-delay 2 "$url/hello"
echo
