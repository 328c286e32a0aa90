/*
 * argv: prints its arguments unambiguously, one per line as "argv[i] = <hex bytes>", and its environment's
 * PWATCH_EXEC_ARGV if any, for the test that program arguments arrive exactly as given.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    printf("argv: %d arguments\n", argc - 1);
    for (int i = 1; i < argc; i++) {
        printf("argv[%d] = ", i);
        for (const unsigned char *p = (const unsigned char *)argv[i]; *p; p++)
            printf("%02x", *p);
        printf("\n");
    }
    printf("argv: PWATCH_EXEC_ARGV is %s\n", getenv("PWATCH_EXEC_ARGV") ? "set" : "unset");
    printf("argv: done\n"); /* BP:argv-done */
    return argc - 1;
}
