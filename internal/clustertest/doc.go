// Package clustertest proves the production topology on this machine: `tdkt
// temporal-server` on PostgreSQL (4 history shards) as its own process, two `tdkt
// serve` and two `tdkt worker` processes, driven over HTTP across both API
// replicas while processes are killed (see TestCluster). `make cluster` starts the same topology by hand.
package clustertest
