# Turns 'llvm-nm -n' output into a fixed profile of hex samples, so that
# plan tests pin exact selections: fir_filter 50, mp_execute_bytecode 20,
# the first static scramble (gc.c) 10 and the second (vm.c) 8, gc_collect 5,
# the libgcc 64-bit division 6, main 3, gc_sweep_block.constprop.0 2.
function emit(count) { for (i = 0; i < count; i++) print $1 }
$3 == "fir_filter" { emit(50) }
$3 == "mp_execute_bytecode" { emit(20) }
$3 == "scramble" { seen++; emit(seen == 1 ? 10 : 8) }
$3 == "gc_collect" { emit(5) }
$3 == "__udivdi3" || $3 == "__udivmoddi4" { emit(6) }
$3 == "main" { emit(3) }
$3 == "gc_sweep_block.constprop.0" { emit(2) }
