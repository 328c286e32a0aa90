/*
 * libwrite: a global written only by the C library (memset), for symbolising accesses made in a shared library.
 * Prints its pid, waits for a line on stdin, then memsets `greeting` 1000 times and exits.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char greeting[8];

int main(void)
{
    printf("libwrite: pid %d\n", (int)getpid());
    fflush(stdout);
    char line[8];
    if (!fgets(line, sizeof(line), stdin))
        return 1;
    for (int i = 0; i < 1000; i++) {
        memset(greeting, 'a' + i % 26, sizeof(greeting));
        usleep(100);
    }
    return 0;
}
