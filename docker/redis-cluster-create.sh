#!/bin/sh
# Joins the six redis-cluster-N nodes into one cluster (3 masters + 3 replicas), once.
set -e
nodes=""
for n in 1 2 3 4 5 6; do
  until redis-cli -h "redis-cluster-$n" ping >/dev/null 2>&1; do sleep 1; done
  nodes="$nodes $(getent hosts "redis-cluster-$n" | awk '{print $1}'):6379"
done
if redis-cli -h redis-cluster-1 cluster info | grep -q "cluster_state:ok"; then
  echo "cluster already created"
  exit 0
fi
# shellcheck disable=SC2086
redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes
