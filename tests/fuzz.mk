# Fuzzing (libFuzzer, clang): the runtime on arbitrary bytes and the
# patcher's whole path on mutated fixture ELFs.
#
#   make fuzz [FUZZ_SECONDS=600]   run each target that long (default 60 s)
#   make test                      runs test-fuzz: regressions + a short smoke
#
# Corpora grow under $(BUILD)/fuzz/corpus, seeded from the fixtures; a crash
# is saved under $(BUILD)/fuzz/crashes and belongs, once fixed, in
# tests/fuzz/regressions/<target>/, which every test run replays.

FUZZ         := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_TARGETS := runtime patcher
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iruntime/include -Ipatcher \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(FUZZ)/fuzz_runtime: tests/fuzz/fuzz_runtime.c tests/fuzz/fuzz_input.h $(RUNTIME_SRCS) runtime/include/ksym/*.h | deps
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_runtime.c $(RUNTIME_SRCS)

$(FUZZ)/fuzz_patcher: tests/fuzz/fuzz_patcher.c $(PATCHER_SRCS) $(RUNTIME_SRCS) patcher/*.h | deps
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)clang $(FUZZ_CFLAGS) -Dmain=ksympatch_main -o $@ tests/fuzz/fuzz_patcher.c \
		$(PATCHER_SRCS) $(RUNTIME_SRCS) $(HOST_LIBS)

# The seeds: every fixture's table, the llvm one's with two-byte name codes.
$(FUZZ)/seeds/.done: tests/fuzz/make-seeds.sh tests/table-end.sh $(BUILD)/ksympatch $(FIXTURES:%=$(FIX)/%.elf) \
		$(BAD_FIXTURES:%=$(FIX)/%.elf) $(FIX)/llvm.elf
	$(call msg,SEEDS,$(@D))
	$(Q)tests/fuzz/make-seeds.sh $(BUILD)/ksympatch $(CROSS_COMPILE)objcopy $(@D) \
		$(FIXTURES:%=$(FIX)/%.elf) $(BAD_FIXTURES:%=$(FIX)/%.elf) $(FIX)/llvm.elf
	$(Q)touch $@

# $(call fuzz_run,TARGET,SECONDS): fuzz, print libFuzzer's summary, keep its status.
fuzz_run = mkdir -p $(FUZZ)/corpus/$(1) $(FUZZ)/crashes && \
	set -o pipefail && ASAN_OPTIONS=detect_leaks=1 $(FUZZ)/fuzz_$(1) -max_total_time=$(2) \
	-timeout=10 -close_fd_mask=3 -print_final_stats=1 -artifact_prefix=$(FUZZ)/crashes/$(1)- \
	$(FUZZ)/corpus/$(1) $(FUZZ)/seeds/$(1) 2>&1 | \
	grep -E '^(Done|stat::number_of_executed_units|==.*ERROR|SUMMARY|artifact_prefix|Test unit written)'

# $(call fuzz_replay,TARGET): run every saved regression input once.
fuzz_replay = files=$$(find tests/fuzz/regressions/$(1) -type f ! -name '.*'); \
	[ -z "$$files" ] || $(FUZZ)/fuzz_$(1) $$files >$(FUZZ)/replay-$(1).log 2>&1 || \
	{ cat $(FUZZ)/replay-$(1).log; echo "fuzz regression failed: $(1)"; exit 1; }

test-fuzz: $(FUZZ_TARGETS:%=test-fuzz-%)
fuzz: $(FUZZ_TARGETS:%=fuzz-%)

test-fuzz-%: SHELL := /bin/bash
test-fuzz-%: $(FUZZ)/fuzz_% $(FUZZ)/seeds/.done
	$(Q)$(call fuzz_replay,$*)
	@echo "  FUZZ     $*: regressions replayed; smoke run of $(FUZZ_SMOKE_SECONDS) s"
	$(Q)$(call fuzz_run,$*,$(FUZZ_SMOKE_SECONDS))

fuzz-%: SHELL := /bin/bash
fuzz-%: $(FUZZ)/fuzz_% $(FUZZ)/seeds/.done
	@echo "  FUZZ     $*: $(FUZZ_SECONDS) s"
	$(Q)$(call fuzz_run,$*,$(FUZZ_SECONDS))

.PHONY: fuzz test-fuzz
