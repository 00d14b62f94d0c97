# The README's two commands: `make run` and `make test`. Both set up a fresh Debian 12 machine first.
SWIFT ?= swift
RELEASE_FLAGS = -c release --static-swift-stdlib
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: run test build release setup bench clean

run: setup release
	@scripts/local-default.sh
	@./.build/release/nexus $(ARGS)

test: 
	@scripts/setup.sh --test
	@scripts/test.sh

setup:
	@scripts/setup.sh

build:
	$(SWIFT) build

# Builds every executable: `nexus` and, beside it, `nexus-admin` (the admin server's HTTP front) and `nexus-yaml`.
release:
	$(SWIFT) build $(RELEASE_FLAGS)

bench: setup release
	./.build/release/nexus bench all

# Semantic tool ranking (docs/configuration.md, [embeddings]): installs the local embedder nexus starts itself.
.PHONY: embedder
embedder:
	@scripts/embedder.sh setup

clean:
	rm -rf .build
