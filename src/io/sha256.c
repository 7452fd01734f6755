/*
 * sha256.c - input fingerprints for provenance.
 *
 * summary.json records the SHA-256 of every input so a forecast can be tied to
 * the exact model and scenario files it came from. Nettle does the hashing.
 */
#include "carecast/fileio.h"

#include <nettle/sha2.h>

void cc_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}
