/*
 * Reference bit streams for dev.descent.core.Rng, written straight from the published algorithms:
 *   xoshiro256** 1.0  https://prng.di.unimi.it/xoshiro256starstar.c  (Blackman & Vigna, 2018)
 *   splitmix64        https://prng.di.unimi.it/splitmix64.c          (Steele, Lea & Flood, 2014)
 * plus the derived streams Rng defines on top of them (nextDouble, nextInt, nextGaussian, permutation, split),
 * so this file is the executable specification of every bit Rng produces.
 *
 * Build and run (see README.md in this directory):
 *   gcc -O0 -std=c11 -Wall -o /tmp/rng_reference rng_reference.c -lm && /tmp/rng_reference
 * The output is printed as Java literals; RngTest copies them.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

/* ---- splitmix64 (verbatim algorithm; state passed explicitly) ---- */
static uint64_t splitmix64_next(uint64_t *x) {
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* ---- xoshiro256** (verbatim algorithm; state passed explicitly) ---- */
static inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t xoshiro_next(uint64_t s[4]) {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* ---- what Rng builds on top ---- */

/* new Rng(seed): the four state words are the first four splitmix64 outputs from seed. */
static void seed_state(uint64_t s[4], uint64_t seed) {
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) s[i] = splitmix64_next(&x);
}

/* nextDouble: top 53 bits scaled by 2^-53. */
static double next_double(uint64_t s[4]) { return (double) (xoshiro_next(s) >> 11) * 0x1.0p-53; }

/* nextInt(bound): Lemire's multiply-and-reject on the top 32 bits of one output. */
static int32_t next_int(uint64_t s[4], uint32_t bound) {
    uint64_t m = (xoshiro_next(s) >> 32) * (uint64_t) bound;
    uint32_t l = (uint32_t) m;
    if (l < bound) {
        uint32_t t = (uint32_t) (-bound) % bound; /* 2^32 mod bound */
        while (l < t) {
            m = (xoshiro_next(s) >> 32) * (uint64_t) bound;
            l = (uint32_t) m;
        }
    }
    return (int32_t) (m >> 32);
}

/* nextGaussian: Marsaglia's polar method; the second variate of each accepted pair is discarded. */
static double next_gaussian(uint64_t s[4]) {
    for (;;) {
        double u = 2.0 * next_double(s) - 1.0;
        double v = 2.0 * next_double(s) - 1.0;
        double q = u * u + v * v;
        if (q < 1.0 && q != 0.0) return u * sqrt(-2.0 * log(q) / q);
    }
}

/* split(): the child's state is the splitmix64 expansion of one parent output. */
static void split(uint64_t parent[4], uint64_t child[4]) { seed_state(child, xoshiro_next(parent)); }

static void print_longs(const char *name, const uint64_t *v, int n) {
    printf("%s = {", name);
    for (int i = 0; i < n; i++) printf("%s0x%016" PRIx64 "L", i ? ", " : "", v[i]);
    printf("};\n");
}

int main(void) {
    uint64_t out[16];

    for (uint64_t seed = 0; seed <= 1; seed++) {
        uint64_t x = seed;
        for (int i = 0; i < 4; i++) out[i] = splitmix64_next(&x);
        char name[64];
        snprintf(name, sizeof name, "SPLITMIX64_SEED_%" PRIu64, seed);
        print_longs(name, out, 4);
    }

    uint64_t s[4] = {1, 2, 3, 4};
    for (int i = 0; i < 10; i++) out[i] = xoshiro_next(s);
    print_longs("XOSHIRO_FROM_1_2_3_4", out, 10);

    seed_state(s, 42);
    print_longs("STATE_SEED_42", s, 4);
    for (int i = 0; i < 10; i++) out[i] = xoshiro_next(s);
    print_longs("NEXT_LONG_SEED_42", out, 10);

    seed_state(s, 42);
    printf("NEXT_DOUBLE_SEED_42 = {");
    for (int i = 0; i < 5; i++) printf("%s%a", i ? ", " : "", next_double(s));
    printf("};\n");

    seed_state(s, 42);
    printf("NEXT_INT_SEED_42 (bounds 1, 2, 3, 10, 1000, 2^31-1, 6, 7) = {");
    const uint32_t bounds[] = {1, 2, 3, 10, 1000, 2147483647u, 6, 7};
    for (int i = 0; i < 8; i++) printf("%s%" PRId32, i ? ", " : "", next_int(s, bounds[i]));
    printf("};\n");

    seed_state(s, 42);
    printf("NEXT_GAUSSIAN_SEED_42 = {");
    for (int i = 0; i < 6; i++) printf("%s%a", i ? ", " : "", next_gaussian(s));
    printf("};\n");

    /* permutation(10): Fisher-Yates from the top, swapping i with nextInt(i + 1). */
    seed_state(s, 42);
    int32_t p[10];
    for (int i = 0; i < 10; i++) p[i] = i;
    for (int i = 9; i > 0; i--) {
        int32_t j = next_int(s, (uint32_t) i + 1);
        int32_t tmp = p[i]; p[i] = p[j]; p[j] = tmp;
    }
    printf("PERMUTATION_10_SEED_42 = {");
    for (int i = 0; i < 10; i++) printf("%s%" PRId32, i ? ", " : "", p[i]);
    printf("};\n");

    uint64_t child[4];
    seed_state(s, 42);
    split(s, child);
    for (int i = 0; i < 4; i++) out[i] = xoshiro_next(child);
    print_longs("SPLIT_CHILD_SEED_42", out, 4);
    for (int i = 0; i < 4; i++) out[i] = xoshiro_next(s);
    print_longs("SPLIT_PARENT_AFTER_SEED_42", out, 4);
    return 0;
}
