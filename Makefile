# tdkt — the two commands a new user needs are `make run` and `make test`.
GO ?= go
PKGS := ./...

.PHONY: run test vet fmt-check bench build workflowcheck

## run: the whole product in one process (embedded Temporal, local PostgreSQL, demo data) on :8080
run:
	$(GO) run ./cmd/tdkt dev

## test: formatting, vet, workflow determinism check, then every test against real PostgreSQL and Temporal
test: fmt-check vet workflowcheck
	$(GO) test -count=1 -timeout 20m $(PKGS)

build:
	$(GO) build -o bin/tdkt ./cmd/tdkt

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

workflowcheck:
	$(GO) tool workflowcheck ./workflows/...

## bench: the benchmarks whose figures the README reports
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 2s ./internal/store/ ./internal/calendar/... ./internal/authz/
