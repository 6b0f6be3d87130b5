/* textstats: word frequencies of the input text with a malloc'd hash table, linked lists and
   strdup'd words, printed with printf; exercises the heap and stdio. The journal is the number
   of distinct words and of words in total. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zkvm.h"

struct entry {
    char *word;
    unsigned count;
    struct entry *next;
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static int by_count(const void *a, const void *b)
{
    const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

int main(void)
{
    size_t cap = 1024, len = 0;
    char *text = malloc(cap);
    for (size_t n; (n = zkvm_read(text + len, cap - len)) > 0;) {
        len += n;
        if (len == cap)
            text = realloc(text, cap *= 2);
        if (!text)
            return 2;
    }
    enum { BUCKETS = 97 };
    struct entry **table = calloc(BUCKETS, sizeof *table);
    unsigned distinct = 0, total = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && (text[i] == ' ' || text[i] == '\n'))
            i++;
        size_t start = i;
        while (i < len && text[i] != ' ' && text[i] != '\n')
            i++;
        if (i == start)
            break;
        char *word = strndup(text + start, i - start);
        struct entry **slot = &table[hash(word) % BUCKETS];
        while (*slot && strcmp((*slot)->word, word) != 0)
            slot = &(*slot)->next;
        if (*slot) {
            (*slot)->count++;
            free(word);
        } else {
            *slot = malloc(sizeof **slot);
            **slot = (struct entry){ word, 1, NULL };
            distinct++;
        }
        total++;
    }
    struct entry **all = malloc(distinct * sizeof *all);
    unsigned k = 0;
    for (int b = 0; b < BUCKETS; b++)
        for (struct entry *e = table[b]; e; e = e->next)
            all[k++] = e;
    qsort(all, distinct, sizeof *all, by_count);
    for (unsigned i = 0; i < distinct; i++)
        printf("%-12s %5u %6.2f%%\n", all[i]->word, all[i]->count, 100.0 * all[i]->count / total);
    uint32_t journal[2] = { distinct, total };
    zkvm_commit(journal, sizeof journal);
    for (int b = 0; b < BUCKETS; b++)
        for (struct entry *e = table[b], *next; e; e = next) {
            next = e->next;
            free(e->word);
            free(e);
        }
    free(all);
    free(table);
    free(text);
    return 0;
}
