/* Keccak-256 alone through the accelerator, to set against samples/keccak256 (bench/accelerators/measure.sh). */
#define HASHES 2
#include "../../samples/accelerators/main.c"
