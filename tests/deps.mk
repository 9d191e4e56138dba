# Debian packages the build and the tests need.  `make deps` (a prerequisite
# of everything) checks them with dpkg -s and installs only what is missing.

DEB_PACKAGES := make gcc libc6-dev pkg-config binutils-dev libiberty-dev libcriterion-dev \
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross \
	gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu \
	gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf gcc-arm-none-eabi binutils-arm-none-eabi \
	clang lld llvm libclang-rt-14-dev qemu-system-arm qemu-system-misc qemu-system-x86 gdb-multiarch \
	groff man-db gnuplot-nox cmake rustc cargo rust-src librust-compiler-builtins-dev

deps: $(BUILD)/.deps-ok

$(BUILD)/.deps-ok:
	$(Q)missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "  DEPS     installing:" $$missing; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -q >/dev/null && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing >/dev/null \
		|| { echo "make deps: cannot install:" $$missing; exit 1; }; \
	fi
	$(Q)mkdir -p $(@D) && touch $@

.PHONY: deps
