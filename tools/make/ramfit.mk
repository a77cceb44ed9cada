# ramfit as a step of a make build: the plan in the tree becomes the linker
# fragment before the link, and the placement is checked after it. The
# port's own link rule stays as it is; this file adds to it.
#
# Set these, then include this file after LDFLAGS and the link rule's
# variables are defined:
#
#   RAMFIT_ELF     the firmware the link writes          ($(BUILD)/firmware.elf)
#   RAMFIT_INPUTS  what the fragment is made from: the objects, the plan
#   RAMFIT_SCRIPTS the linker scripts the link reads (the ELF relinks when
#                  one changes)
#   RAMFIT_CONFIG  ramfit.yaml, whose outputs.fragment is RAMFIT_FRAGMENT
#                                                                 (ramfit.yaml)
#   RAMFIT_FRAGMENT where outputs.fragment points     ($(BUILD)/ramtext.ld)
#   RAMFIT_FALLBACK a fragment kept in the tree, linked when ramfit is not
#                  installed (none: an empty fragment)
#   RAMFIT_GOAL    the goal that ends with a checked firmware          (all)
#
# It adds -L$(dir RAMFIT_FRAGMENT) to LDFLAGS, so that the script's
# 'INCLUDE ramtext.ld' finds the fragment.
#
# A tree built where ramfit is not installed still links: one line says
# so, and the fallback fragment (or an empty one) is used, unchecked.

RAMFIT ?= ramfit
BUILD ?= build
RAMFIT_ELF ?= $(BUILD)/firmware.elf
RAMFIT_CONFIG ?= ramfit.yaml
RAMFIT_FRAGMENT ?= $(BUILD)/ramtext.ld
RAMFIT_GOAL ?= all

# 'ramfit run ldscript' writes the fragment only when its bytes change; the
# stamp records that the step ran, so that make settles once it has (a rule
# whose target it does not touch would run at every make). The stamp is the
# firmware's one prerequisite from here, and a link rule that passes $^ to
# the linker (CircuitPython's does) passes it too: it is written as a linker
# script that holds only a comment, which ld reads and ignores. The scripts
# are prerequisites of the stamp, not of the firmware, for the same reason.
RAMFIT_STAMP := $(RAMFIT_FRAGMENT).stamp
RAMFIT_CHECKED := $(RAMFIT_ELF).ramfit-checked
RAMFIT_FOUND := $(shell command -v $(RAMFIT) 2>/dev/null)

LDFLAGS += -L$(patsubst %/,%,$(dir $(RAMFIT_FRAGMENT)))

ifneq ($(RAMFIT_FOUND),)
$(RAMFIT_STAMP): $(RAMFIT_CONFIG) $(RAMFIT_INPUTS) $(RAMFIT_SCRIPTS)
	@mkdir -p $(dir $@)
	$(RAMFIT) run --config $(RAMFIT_CONFIG) ldscript
	@echo '/* ramfit: the fragment step ran; nothing to link */' > $@

# A link whose placement check fails leaves no firmware behind.
$(RAMFIT_CHECKED): $(RAMFIT_ELF)
	$(RAMFIT) run --config $(RAMFIT_CONFIG) check || { rm -f $(RAMFIT_ELF); exit 2; }
	@touch $@
else
$(RAMFIT_STAMP): $(RAMFIT_FALLBACK) $(RAMFIT_SCRIPTS)
	@mkdir -p $(dir $@)
	@echo "ramfit: '$(RAMFIT)' is not installed: linking with $(if $(RAMFIT_FALLBACK),$(RAMFIT_FALLBACK),no fragment), unchecked"
	@$(if $(RAMFIT_FALLBACK),cmp -s $(RAMFIT_FALLBACK) $(RAMFIT_FRAGMENT) || cp $(RAMFIT_FALLBACK) $(RAMFIT_FRAGMENT),test -e $(RAMFIT_FRAGMENT) || : > $(RAMFIT_FRAGMENT))
	@echo '/* ramfit: not installed; nothing to link */' > $@

$(RAMFIT_CHECKED): $(RAMFIT_ELF)
	@touch $@
endif

# The link follows the stamp: it is newer than the firmware only when the
# fragment's inputs changed, which relinks anyway (the objects) or may
# change the fragment (the plan, the config, the scripts).
$(RAMFIT_ELF): $(RAMFIT_STAMP)

$(RAMFIT_GOAL): $(RAMFIT_CHECKED)
