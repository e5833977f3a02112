# MCP Conductor — developer entry points.
#
#   make test    install the test dependencies, then vet and run every test
#   make run     serve MCP over stdio (what an MCP client launches)
#   make bench   print end-to-end performance figures
#
# Test dependencies (the real Deno binary and the upstream MCP servers the
# tests drive) come from the npm registry into ./node_modules.

DENO := $(CURDIR)/node_modules/@deno/linux-x64-glibc/deno
export MCP_CONDUCTOR_DENO ?= $(DENO)

.PHONY: deps build run test vet bench

deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@test -x "$(DENO)" || { echo "deno binary missing at $(DENO) after npm ci" >&2; exit 1; }
	touch $@

build:
	go build -o mcp-conductor .

run: deps
	go run . --stdio

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted" >&2; exit 1; fi
	go vet ./...

test: deps vet
	go test -count=1 ./...

bench: deps
	go run ./bench
