// Pins the modules whose CRD YAML the harness installs (issue 7). Nothing is compiled here: build.sh runs
// `go mod download -json <module>@<version>` for each pin in ../versions.env and the harness reads the YAML
// from the extracted module directories. The go.sum below carries the hashes of every pinned version (both
// CAPI and both CAPO releases), so the downloads are verified without asking the checksum database.
// The require block names the v1beta2-era set only: one go.mod cannot require two versions of one module.
module example.local/crdsbuild

go 1.24.0

require (
	sigs.k8s.io/cluster-api v1.12.10
	sigs.k8s.io/cluster-api-provider-openstack v0.14.7
	sigs.k8s.io/prow v0.0.0-20240619181241-cfb8754e0459
)
