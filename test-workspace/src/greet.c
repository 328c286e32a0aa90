/*
 * greet: reads names from its standard input, one per line, and greets each, until end of input or "quit".
 * For the tests of the program's input: the Debug Console (internalConsole) and the editor's terminal.
 */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char name[256];
    printf("greet: ready\n");
    fflush(stdout);
    while (fgets(name, sizeof name, stdin)) { /* BP:greet-read */
        name[strcspn(name, "\r\n")] = '\0';
        if (strcmp(name, "quit") == 0)
            break;
        printf("greet: hello %s\n", name);
        fflush(stdout);
    }
    printf("greet: bye\n");
    return 0;
}
