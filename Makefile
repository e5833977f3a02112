# MCP Conductor — developer entry points.
#
#   make test    install what the tests need, vet, run every test (engine and desktop app)
#   make run     serve MCP over stdio (what an MCP client launches); only the
#                protocol reaches stdout, everything else (installs) goes to stderr
#   make app     build and start the desktop app (window + tray)
#   make deb     build a Debian package of the desktop app (build/bin)
#   make bench   print end-to-end performance figures
#   make installer          build the Windows installer (NSIS, on Linux)
#   make test-windows       the Windows lane: tests and installer under Wine
#
# The real Deno binary and the upstream MCP servers the tests drive come from
# the npm registry into ./node_modules; the MCP client CLIs the registration
# tests drive (claude, gemini, codex, cline, qwen, opencode) into
# test/clients/node_modules, pinned in test/clients/package-lock.json; the MCP
# conformance suite, the MCP Inspector and the Node.js 22 they need into
# test/protocol/node_modules, pinned in test/protocol/package-lock.json. The desktop app needs GTK 3 and
# WebKitGTK 4.1 headers, Xvfb, D-Bus and Chromium (Debian packages): as root,
# `make test` installs them; otherwise run `sudo make system-deps` once.

# `make run` may be run from another make; its directory messages would
# reach stdout.
MAKEFLAGS += --no-print-directory

DENO := $(CURDIR)/node_modules/@deno/linux-x64-glibc/deno
export MCP_CONDUCTOR_DENO ?= $(DENO)
# Python's runtime: the pyodide npm package (the installed one is
# ~/.mcp-conductor/cache/python/pyodide, from `mcp-conductor python install`).
export MCP_CONDUCTOR_PYODIDE ?= $(CURDIR)/node_modules/pyodide
DESKTOP_TAGS := desktop,production,webkit2_41
VERSION ?= $(shell git describe --tags --abbrev=0 2>/dev/null | sed 's/^v//' | grep -E '^[0-9]' || echo 0.1.0-dev)

.PHONY: app-macos check-macos check-windows deps client-clis protocol-tools windows-deps wine-deps system-deps build build-windows installer run app deb test test-engine test-gui test-deb test-windows vet bench

# Recipes that `make run` can reach print nothing on stdout: a client reading
# the protocol from it would take anything else for garbage.
deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@echo "== stage npm ci (Deno, Pyodide and the MCP servers the tests drive)" >&2
	@npm ci --no-audit --no-fund >&2
	@test -x "$(DENO)" || { echo "deno binary missing at $(DENO) after npm ci" >&2; exit 1; }
	@test -f node_modules/pyodide/pyodide.asm.wasm || { echo "pyodide missing at node_modules/pyodide after npm ci" >&2; exit 1; }
	@touch $@

client-clis: test/clients/node_modules/.installed

test/clients/node_modules/.installed: test/clients/package.json test/clients/package-lock.json
	@echo "== stage npm ci in test/clients (the MCP client CLIs)" >&2
	@cd test/clients && npm ci --no-audit --no-fund >&2
	@touch $@

# No package there needs an install script (the Inspector's postinstall is
# for its own source checkout).
protocol-tools: test/protocol/node_modules/.installed

test/protocol/node_modules/.installed: test/protocol/package.json test/protocol/package-lock.json
	@echo "== stage npm ci in test/protocol (the conformance suite, the Inspector, Node.js 22)" >&2
	@cd test/protocol && npm ci --no-audit --no-fund --ignore-scripts >&2
	@touch $@

# Deno and Node.js for Windows, for the Wine lane (pinned in
# test/windows/package-lock.json). --force: npm would refuse packages for
# another system; they are not run here but under Wine.
windows-deps: test/windows/node_modules/.installed

test/windows/node_modules/.installed: test/windows/package.json test/windows/package-lock.json
	@echo "== stage npm ci in test/windows (Deno and Node.js for Windows, for the Wine lane)" >&2
	@cd test/windows && npm ci --no-audit --no-fund --ignore-scripts --force >&2 2>&1
	@touch $@

# Debian packages for the Windows lane (Wine, NSIS, mingw-w64, 7-Zip; root).
wine-deps:
	@echo "== stage Debian packages for the Windows lane" >&2
	@bash .ci/wine/deps.sh

# Debian packages for the desktop app (root).
system-deps:
	bash .ci/gui-deps.sh

system-deps-check:
	@if ! pkg-config --exists gtk+-3.0 webkit2gtk-4.1 2>/dev/null || ! command -v Xvfb >/dev/null || ! command -v chromium >/dev/null || ! command -v dbus-daemon >/dev/null || [ ! -d frontend/node_modules ]; then \
		if [ "$$(id -u)" = 0 ]; then bash .ci/gui-deps.sh; \
		else echo "the desktop app's system packages are missing: run 'sudo make system-deps' once" >&2; exit 1; fi; \
	fi

build:
	go build -o mcp-conductor .

# The headless binary for Windows (what IDEs launch there), cross-built.
build-windows:
	GOOS=windows GOARCH=amd64 go build -o build/bin/mcp-conductor.exe .

# The Windows installer (NSIS, built here): build/bin/mcp-conductor-setup.exe.
installer: wine-deps
	cd frontend && npm ci --no-audit --no-fund && npm run build
	bash build/windows/installer/build.sh build/bin $(VERSION)

run: deps
	@go run . --stdio

app: deps system-deps-check
	cd frontend && npm run build
	go build -tags $(DESKTOP_TAGS) -o mcp-conductor . && ./mcp-conductor

# A Debian package of the desktop app, in build/bin.
deb: deps system-deps-check
	cd frontend && npm run build
	go build -tags $(DESKTOP_TAGS) -ldflags "-X main.version=$(VERSION)" -o build/bin/mcp-conductor .
	bash build/linux/package-deb.sh build/bin/mcp-conductor $(VERSION) build/bin

# macOS (on a Mac): the app bundle in build/bin, and the sandbox's proof.
app-macos:
	cd frontend && npm ci && npm run build
	go build -tags desktop,production -ldflags "-X main.version=$(VERSION)" -o build/bin/mcp-conductor .
	bash build/darwin/make-app.sh build/bin/mcp-conductor $(VERSION) build/bin

check-macos:
	bash .ci/check-macos.sh

# Windows (on a real Windows, in Git Bash): what the Wine lane cannot prove.
check-windows:
	bash .ci/check-windows.sh

# staticcheck, pinned (its checks are in staticcheck.conf), built once for
# this machine into .cache/bin so that it can analyse other systems' code.
STATICCHECK := .cache/bin/staticcheck

$(STATICCHECK):
	GOBIN=$(CURDIR)/.cache/bin go install honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet: cross
	@echo "== stage vet (gofmt, go vet, staticcheck)" >&2
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted" >&2; exit 1; fi
	go vet ./...
	go vet -tags gui ./app/guitest/
	$(STATICCHECK) ./...
	$(STATICCHECK) -tags gui ./app/guitest/

# The headless binary cross-builds for macOS and Windows, and every package
# but the window's, the tray's and their tests' passes go vet and
# staticcheck for both: only a desktop build (cgo there) links those, and
# the headless build links neither systray nor Wails on any system.
.PHONY: cross
cross: $(STATICCHECK)
	@echo "== stage cross-builds and vet for macOS and Windows" >&2
	GOOS=darwin go build -o /dev/null .
	GOOS=windows go build -o /dev/null .
	for os in linux darwin windows; do if GOOS=$$os go list -deps . | grep -e '^fyne.io/systray' -e '^github.com/wailsapp/wails'; then echo "the headless build for $$os links the tray or the window (above): keep them behind the desktop tag" >&2; exit 1; fi; done
	for os in darwin windows; do pkgs=$$(GOOS=$$os go list ./... | grep -v -e '/app$$' -e '/app/tray$$' -e '/app/guitest$$') && GOOS=$$os go vet $$pkgs && GOOS=$$os $(STATICCHECK) $$pkgs || exit 1; done

test: test-engine test-gui test-deb test-windows

# On Linux every conductor the end-to-end suite starts must run under the
# kernel layer (Landlock, seccomp): with confinement required, a change that
# lost the layer fails here instead of leaving Deno's own checks to pass the
# adversarial tests. A mode set outside wins.
CONFINEMENT := $(if $(filter Linux,$(shell uname -s)),$(or $(MCP_CONDUCTOR_CONFINEMENT),require),$(MCP_CONDUCTOR_CONFINEMENT))

test-engine: deps client-clis protocol-tools vet
	@echo "== stage go test ./... (confinement: $(or $(CONFINEMENT),auto))" >&2
	MCP_CONDUCTOR_CONFINEMENT=$(CONFINEMENT) go test -count=1 -timeout 30m ./...

test-gui: deps system-deps-check
	@echo "== stage GUI tests (WebKitGTK window, tray, Chromium)" >&2
	bash .ci/gui-test.sh

test-deb: deps system-deps-check
	@echo "== stage Debian package" >&2
	bash .ci/deb-test.sh

# The Windows lane: cross-compiled tests and the installer under Wine (see
# docs/windows.md); it prints every test's outcome and its stage timings.
test-windows: deps windows-deps wine-deps
	@echo "== stage Windows lane (Wine)" >&2
	bash .ci/windows-test.sh

bench: deps
	go run ./bench
