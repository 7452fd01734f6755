/*
 * fuzz.h - shared by the fuzz harnesses (libFuzzer) and their replay driver.
 *
 * Each harness defines LLVMFuzzerTestOneInput for one reader. Built with
 * clang -fsanitize=fuzzer it is a fuzzer (make fuzz); built with driver.c it
 * replays files (the seed corpus and every input that once failed) as part of
 * make check, so a crash found once stays fixed.
 */
#ifndef CARECAST_FUZZ_H
#define CARECAST_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data to a private temporary file and returns its path (static
 * storage, one per slot), for readers that take paths. NULL on failure. */
const char *fuzz_tmpfile(int slot, const uint8_t *data, size_t size);

#endif
