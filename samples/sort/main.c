/* sort: reads a u32 count and that many u32 values (little-endian), sorts them with a merge sort
   of our own, checks the order and commits the sorted array. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "zkvm.h"

static void merge_sort(uint32_t *v, uint32_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t half = n / 2;
    merge_sort(v, tmp, half);
    merge_sort(v + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
    while (i < half)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    for (k = 0; k < n; k++)
        v[k] = tmp[k];
}

int main(void)
{
    uint32_t n;
    if (zkvm_read(&n, sizeof n) != sizeof n || n > (1u << 20))
        return 2;
    uint32_t *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    if (!v || !tmp || zkvm_read(v, n * sizeof *v) != n * sizeof *v)
        return 3;
    merge_sort(v, tmp, n);
    for (uint32_t i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return 4;
    zkvm_commit(v, n * sizeof *v);
    printf("sorted %lu values: min %lu max %lu\n", (unsigned long)n, (unsigned long)(n ? v[0] : 0), (unsigned long)(n ? v[n - 1] : 0));
    free(v);
    free(tmp);
    return 0;
}
