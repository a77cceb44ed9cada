# Turns 'llvm-nm -n' output into a fixed profile over most of the fixture's
# functions (14 units), for the optimum tests: callers and callees hot
# together, so that which units fit depends on what else is in RAM.
function emit(count) { for (i = 0; i < count; i++) print $1 }
$3 == "fir_filter" { emit(40) }
$3 == "eval_node" { emit(30) }
$3 == "dispatch" { emit(25) }
$3 == "mp_execute_bytecode" { emit(20) }
$3 == "expr_workload" { emit(12) }
$3 == "scramble" { seen++; emit(seen == 1 ? 10 : 8) }
$3 == "mix_step" { emit(9) }
$3 == "ringbuf_push.constprop.0" { emit(7) }
$3 == "lookup_slot.part.0.constprop.0" { emit(6) }
$3 == "gc_collect" { emit(5) }
$3 == "scale_reading" { emit(5) }
$3 == "gc_sweep" { emit(4) }
$3 == "console_puts" { emit(3) }
