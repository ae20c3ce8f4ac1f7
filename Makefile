# tdkt — the two commands a new user needs are `make run` and `make test`.
GO ?= go
PKGS := ./...

.PHONY: run test vet fmt-check bench bench-national bench-actions build workflowcheck chromium pdf-tools cluster

## run: the whole product in one process (embedded Temporal, local PostgreSQL, demo data) on :8080
run:
	$(GO) run ./cmd/tdkt dev

## test: formatting, vet, workflow determinism check, then every test against real PostgreSQL and Temporal
test: fmt-check vet workflowcheck chromium pdf-tools
	$(GO) test -count=1 -timeout 20m $(PKGS)

## chromium: the browser the web UI's tests drive (Debian's package), installed when missing and root;
## otherwise the browser test fails and says how to install it
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "chromium is missing and installing it needs root: the browser tests will fail (apt-get install chromium)"; fi

## pdf-tools: the independent checkers of the documents' tests (poppler's pdfsig, pdftotext,
## pdffonts; qpdf; openssl for a PKCS#12 file; SoftHSM2 as a PKCS#11 token), Debian's packages,
## installed when missing and root; otherwise those tests skip and say how to install them.
## The fonts are vendored (internal/documents/fonts).
pdf-tools:
	@command -v pdfsig >/dev/null 2>&1 && command -v qpdf >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1 && \
	[ -e /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null 2>&1 || \
	if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils qpdf openssl softhsm2; \
	else echo "poppler-utils, qpdf, openssl or softhsm2 is missing and installing needs root: the documents' tool checks will skip (apt-get install poppler-utils qpdf openssl softhsm2)"; fi

build:
	$(GO) build -o bin/tdkt ./cmd/tdkt

## cluster: the production topology as processes on this machine: tdkt temporal-server on
## PostgreSQL (4 history shards), 2 x tdkt serve (:8081, :8082), 2 x tdkt worker (ops :9091, :9092)
cluster: build
	./deploy/cluster/run.sh

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

workflowcheck:
	$(GO) tool workflowcheck ./workflows/...

## bench-national: authorization over a national tree (34 provinces, 3,321 communes,
## 100,000 role assignments): build, heap, decision p50/p95/p99, grant → decision time;
## prints a table and writes bench-national-authz.json (needs PostgreSQL)
bench-national:
	$(GO) run ./cmd/tdkt-bench -scenario authz -json bench-national-authz.json

## bench-actions: user actions over HTTP (tdkt serve + tdkt worker as processes: create, submit,
## accept, approve, decide) against bare Temporal (a no-op workflow: start + 4 updates with a local
## activity) on the same dev Temporal server, 16 clients; prints a table, writes
## bench-actions.json (needs PostgreSQL). ARGS passes flags, e.g. for make cluster:
## make bench-actions ARGS='-temporal 127.0.0.1:7233 -api http://127.0.0.1:8081,http://127.0.0.1:8082'
bench-actions: build
	$(GO) build -o bin/tdkt-bench ./cmd/tdkt-bench
	./bin/tdkt-bench -scenario actions -tdkt bin/tdkt -json bench-actions.json $(ARGS)

## bench: the benchmarks whose figures the README reports
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./internal/postgres/ ./internal/inbox/ ./internal/awards/ ./internal/calendar/... ./internal/authz/ ./internal/web/
