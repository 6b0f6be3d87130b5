/* SHA-256 alone through the accelerator, to set against samples/sha256 (bench/accelerators/measure.sh). */
#define HASHES 1
#include "../../samples/accelerators/main.c"
